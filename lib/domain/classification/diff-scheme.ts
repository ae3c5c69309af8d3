/**
 * What changed between two versions of the classification scheme, in words for the audit log and the version
 * history, plus which buckets need a new evaluation: a change to tag key, aliases, names, ranks, the set of levels
 * or the fallback can move any bucket to another level (or change its risk weight), so all are re-evaluated; a
 * change only to a level's required controls affects only the buckets at that level.
 */
import type { ClassificationLevel, ClassificationScheme } from "./scheme";

export interface SchemeDiff {
  /** Human-readable changes, in a stable order; empty when nothing that matters changed. */
  changes: string[];
  /** "all": every bucket; "levels": buckets whose current level is in levelKeys; "none": no evaluation needed. */
  reevaluate: "all" | "levels" | "none";
  levelKeys: string[];
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "none");

export function diffSchemes(before: ClassificationScheme, after: ClassificationScheme): SchemeDiff {
  const changes: string[] = [];
  let all = false;
  const levelKeys = new Set<string>();
  if (before.tagKey !== after.tagKey) {
    changes.push(`tag key ${before.tagKey} → ${after.tagKey}`);
    all = true;
  }
  if (before.fallbackLevelKey !== after.fallbackLevelKey) {
    changes.push(`fallback level ${before.fallbackLevelKey} → ${after.fallbackLevelKey}`);
    all = true;
  }
  const old = new Map(before.levels.map((l) => [l.key, l]));
  const now = new Map(after.levels.map((l) => [l.key, l]));
  for (const l of after.levels) {
    if (!old.has(l.key)) {
      changes.push(`level ${l.key} added (${l.name}, rank ${l.rank}, requires ${list(l.requiredControlIds)})`);
      all = true;
    }
  }
  for (const l of before.levels) {
    if (!now.has(l.key)) {
      changes.push(`level ${l.key} removed`);
      all = true;
    }
  }
  for (const a of after.levels) {
    const b: ClassificationLevel | undefined = old.get(a.key);
    if (!b) continue;
    if (b.name !== a.name) {
      changes.push(`level ${a.key} renamed ${b.name} → ${a.name}`);
      all = true;
    }
    if (b.rank !== a.rank) {
      changes.push(`level ${a.key} rank ${b.rank} → ${a.rank}`);
      all = true;
    }
    const added = a.requiredControlIds.filter((c) => !b.requiredControlIds.includes(c));
    const removed = b.requiredControlIds.filter((c) => !a.requiredControlIds.includes(c));
    if (added.length) changes.push(`level ${a.key} now requires ${added.join(", ")}`);
    if (removed.length) changes.push(`level ${a.key} no longer requires ${removed.join(", ")}`);
    if (added.length || removed.length) levelKeys.add(a.key);
    const norm = (xs: string[]) => xs.map((x) => x.trim().toLowerCase()).sort();
    if (norm(a.valueAliases).join("\n") !== norm(b.valueAliases).join("\n")) {
      changes.push(`level ${a.key} tag values ${list(b.valueAliases)} → ${list(a.valueAliases)}`);
      all = true;
    }
    if (b.description !== a.description) changes.push(`level ${a.key} description changed`);
  }
  const order = (s: ClassificationScheme) => s.levels.map((l) => l.key).join(",");
  if (order(before) !== order(after) && !all)
    changes.push(`levels reordered: ${after.levels.map((l) => l.key).join(", ")}`);
  return {
    changes,
    reevaluate: all ? "all" : levelKeys.size > 0 ? "levels" : "none",
    levelKeys: all ? [] : [...levelKeys].sort(),
  };
}
