import { describe, expect, it } from "vitest";
import { absent, present, unknown } from "../bucket-settings";
import { resolveBucketLevel } from "./resolve-bucket-level";
import { DEFAULT_SCHEME } from "./scheme";

const manual = { levelKey: "low", by: "alice@example.com", at: "2026-01-02T03:04:05.000Z", reason: "press kit" };

describe("resolveBucketLevel", () => {
  it.each([
    {
      name: "tag value by key",
      tags: present({ DataClassification: "high" }),
      want: { levelKey: "high", source: "tag", classified: true, note: "tag DataClassification=high → High" },
    },
    {
      name: "tag value case-insensitive name",
      tags: present({ DataClassification: "MEDIUM" }),
      want: { levelKey: "medium", source: "tag", classified: true, note: "tag DataClassification=MEDIUM → Medium" },
    },
    {
      name: "tag value alias",
      tags: present({ DataClassification: " Confidential " }),
      want: { levelKey: "high", source: "tag", classified: true, note: "tag DataClassification= Confidential  → High" },
    },
    {
      name: "tag key in other case",
      tags: present({ dataclassification: "low" }),
      want: { levelKey: "low", source: "tag", classified: true, note: "tag dataclassification=low → Low" },
    },
    {
      name: "unknown value",
      tags: present({ DataClassification: "Secret" }),
      want: {
        levelKey: "high",
        source: "fallback",
        classified: false,
        note: 'tag DataClassification value "Secret" matches no level; evaluated against the fallback level "High"',
      },
    },
    {
      name: "no tag",
      tags: present({ Owner: "team" }),
      want: {
        levelKey: "high",
        source: "fallback",
        classified: false,
        note: 'no DataClassification tag; evaluated against the fallback level "High"',
      },
    },
    {
      name: "no tag set",
      tags: absent<Record<string, string>>("NoSuchTagSet"),
      want: {
        levelKey: "high",
        source: "fallback",
        classified: false,
        note: 'no tags (no DataClassification tag); evaluated against the fallback level "High"',
      },
    },
    {
      name: "tags unreadable",
      tags: unknown<Record<string, string>>("AccessDenied on GetBucketTagging"),
      want: {
        levelKey: "high",
        source: "fallback",
        classified: false,
        note: 'tags could not be read: AccessDenied on GetBucketTagging; evaluated against the fallback level "High"',
      },
    },
  ])("$name", ({ tags, want }) => {
    expect(resolveBucketLevel({ scheme: DEFAULT_SCHEME, tags })).toEqual(want);
  });

  it("manual beats tag", () => {
    expect(
      resolveBucketLevel({ scheme: DEFAULT_SCHEME, tags: present({ DataClassification: "high" }), manual }),
    ).toEqual({
      levelKey: "low",
      source: "manual",
      classified: true,
      note: "set to Low by alice@example.com at 2026-01-02T03:04:05.000Z: press kit",
    });
  });

  it("manual level missing from the scheme falls through to the tag, and says so", () => {
    expect(
      resolveBucketLevel({
        scheme: DEFAULT_SCHEME,
        tags: present({ DataClassification: "medium" }),
        manual: { ...manual, levelKey: "gone", at: new Date("2026-01-02T03:04:05Z") },
      }),
    ).toEqual({
      levelKey: "medium",
      source: "tag",
      classified: true,
      note: 'manual level "gone" no longer exists in the scheme, ignored; tag DataClassification=medium → Medium',
    });
  });

  it("uses the scheme's tag key and fallback", () => {
    const scheme = { ...DEFAULT_SCHEME, tagKey: "sensitivity", fallbackLevelKey: "medium" };
    expect(resolveBucketLevel({ scheme, tags: present({ DataClassification: "low" }) })).toMatchObject({
      levelKey: "medium",
      source: "fallback",
    });
    expect(resolveBucketLevel({ scheme, tags: present({ sensitivity: "low" }) })).toMatchObject({
      levelKey: "low",
      source: "tag",
    });
  });

  it("classifies a CloudTrail log bucket at the top level, above its tag, below a manual override", () => {
    const tags = present({ DataClassification: "low" });
    expect(resolveBucketLevel({ scheme: DEFAULT_SCHEME, tags, trailLogOf: ["org-trail"] })).toEqual({
      levelKey: "high",
      source: "cloudtrail",
      classified: true,
      note: "CloudTrail log bucket (org-trail) → High",
    });
    expect(resolveBucketLevel({ scheme: DEFAULT_SCHEME, tags, manual, trailLogOf: ["org-trail"] })).toMatchObject({
      levelKey: "low",
      source: "manual",
    });
    expect(resolveBucketLevel({ scheme: DEFAULT_SCHEME, tags, trailLogOf: [] }).source).toBe("tag");
  });
});
