/**
 * Which classification level a bucket is evaluated against. Manual (set in the app, audited) beats everything; a
 * CloudTrail log bucket (any trail of the organisation delivers to it) is the scheme's top level (High by default) —
 * the audit trail of every API call is as sensitive as data gets, whatever its tag says — and is overridden by hand
 * like any classification; then the tag, then the fallback. A bucket without a usable tag is *unclassified*: a coverage gap, evaluated against the
 * fallback level (High by default, so a missing tag never lowers the bar).
 */
import type { Setting } from "../bucket-settings";
import { findLevel, topLevel, type ClassificationLevel, type ClassificationScheme } from "./scheme";

export interface ManualClassification {
  levelKey: string;
  by: string;
  at: string | Date;
  reason: string;
}

export interface LevelResolution {
  levelKey: string;
  source: "manual" | "cloudtrail" | "tag" | "fallback";
  /** False when the bucket fell back: it counts as a classification coverage gap. */
  classified: boolean;
  note: string;
}

function matchLevel(scheme: ClassificationScheme, value: string): ClassificationLevel | undefined {
  const v = value.trim().toLowerCase();
  return scheme.levels.find((l) => [l.key, l.name, ...l.valueAliases].some((x) => x.trim().toLowerCase() === v));
}

/** Exact tag key first; a key that differs only in case still counts (S3 tag keys are case-sensitive, people are not). */
function findTag(tags: Record<string, string>, tagKey: string): [string, string] | undefined {
  if (tagKey in tags) return [tagKey, tags[tagKey]!];
  const lower = tagKey.toLowerCase();
  return Object.entries(tags).find(([k]) => k.toLowerCase() === lower);
}

export function resolveBucketLevel(args: {
  scheme: ClassificationScheme;
  tags: Setting<Record<string, string>>;
  manual?: ManualClassification | null;
  /** Names of the trails that deliver their logs to this bucket (empty or absent: not a CloudTrail log bucket). */
  trailLogOf?: string[] | null;
}): LevelResolution {
  const { scheme, tags, manual, trailLogOf } = args;
  const fallback = findLevel(scheme, scheme.fallbackLevelKey);
  const fallbackName = fallback ? `"${fallback.name}"` : `"${scheme.fallbackLevelKey}"`;
  const prefix: string[] = [];

  if (manual) {
    const level = findLevel(scheme, manual.levelKey);
    if (level) {
      const at = manual.at instanceof Date ? manual.at.toISOString() : manual.at;
      return {
        levelKey: level.key,
        source: "manual",
        classified: true,
        note: `set to ${level.name} by ${manual.by} at ${at}: ${manual.reason}`,
      };
    }
    prefix.push(`manual level "${manual.levelKey}" no longer exists in the scheme, ignored`);
  }

  if (trailLogOf && trailLogOf.length > 0) {
    const level = topLevel(scheme);
    return {
      levelKey: level.key,
      source: "cloudtrail",
      classified: true,
      note: [...prefix, `CloudTrail log bucket (${trailLogOf.join(", ")}) → ${level.name}`].join("; "),
    };
  }

  const fall = (why: string): LevelResolution => ({
    levelKey: scheme.fallbackLevelKey,
    source: "fallback",
    classified: false,
    note: [...prefix, `${why}; evaluated against the fallback level ${fallbackName}`].join("; "),
  });

  if (tags.status === "unknown") return fall(`tags could not be read: ${tags.reason}`);
  if (tags.status === "absent") return fall(`no tags (no ${scheme.tagKey} tag)`);
  const tag = findTag(tags.value, scheme.tagKey);
  if (!tag) return fall(`no ${scheme.tagKey} tag`);
  const level = matchLevel(scheme, tag[1]);
  if (!level) return fall(`tag ${tag[0]} value "${tag[1]}" matches no level`);
  return {
    levelKey: level.key,
    source: "tag",
    classified: true,
    note: [...prefix, `tag ${tag[0]}=${tag[1]} → ${level.name}`].join("; "),
  };
}
