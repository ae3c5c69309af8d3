/**
 * The data classification scheme: levels ordered by rank (higher rank = more sensitive data = more controls
 * required). The default is the book's Table 7.3 (DESIGN.md §4); organisations edit it in the app and import or
 * export it as JSON (see scheme-schema.ts).
 */
import type { ControlId } from "../controls/control-ids";

export interface ClassificationLevel {
  /** Stable identifier, e.g. "high"; stored on bucket classifications and waivers. */
  key: string;
  name: string;
  /** Higher = more sensitive. The highest-ranked level is the one sensitive data (PII, financial, credentials) needs. */
  rank: number;
  description: string;
  requiredControlIds: ControlId[];
  /** Other tag values that mean this level, matched case-insensitively (the key and name always match). */
  valueAliases: string[];
}

export interface ClassificationScheme {
  /** Bucket tag that carries the level. */
  tagKey: string;
  levels: ClassificationLevel[];
  /** Level applied to unclassified buckets; the default (High) fails safe. */
  fallbackLevelKey: string;
}

export const DEFAULT_TAG_KEY = "DataClassification";
export const DEFAULT_FALLBACK_LEVEL_KEY = "high";

export const DEFAULT_SCHEME: ClassificationScheme = {
  tagKey: DEFAULT_TAG_KEY,
  fallbackLevelKey: DEFAULT_FALLBACK_LEVEL_KEY,
  levels: [
    {
      key: "high",
      name: "High",
      rank: 3,
      description: "Personal data (PII), financial data, credentials: a leak harms people or the business.",
      requiredControlIds: [
        "encryption-at-rest",
        "https-only",
        "least-privilege-read",
        "least-privilege-write",
        "access-logging",
        "versioning",
        // The data's key must stay ours and rotate: whoever owns the key can read or destroy a High bucket's data.
        "kms-key-in-organization",
        "kms-key-rotation",
      ],
      valueAliases: ["confidential", "restricted", "sensitive"],
    },
    {
      key: "medium",
      name: "Medium",
      rank: 2,
      description: "Internal e-mails, reports: not for the public, limited harm if leaked.",
      requiredControlIds: ["encryption-at-rest", "https-only", "least-privilege-write", "access-logging"],
      valueAliases: ["internal"],
    },
    {
      key: "low",
      name: "Low",
      rank: 1,
      description: "Public press releases and other data meant for anyone; integrity still matters.",
      requiredControlIds: ["least-privilege-write", "access-logging"],
      valueAliases: ["public"],
    },
  ],
};

export function findLevel(scheme: ClassificationScheme, key: string): ClassificationLevel | undefined {
  return scheme.levels.find((l) => l.key === key);
}

/** The level with the highest rank: what sensitive data requires. */
export function topLevel(scheme: ClassificationScheme): ClassificationLevel {
  return scheme.levels.reduce((top, l) => (l.rank > top.rank ? l : top), scheme.levels[0]!);
}
