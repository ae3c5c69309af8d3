import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEME, topLevel } from "./scheme";
import { exportClassificationScheme, parseClassificationScheme } from "./scheme-schema";

describe("DEFAULT_SCHEME", () => {
  // DESIGN.md §4's table, plus issue 16's key controls at High: a High bucket's key stays in the organisation and
  // rotates (Medium and Low keep the table's list: their data is not worth a third party's key being a failure).
  it("matches DESIGN.md §4, with the KMS key controls required at High", () => {
    expect(DEFAULT_SCHEME.levels.map((l) => [l.key, l.rank, l.requiredControlIds])).toEqual([
      [
        "high",
        3,
        [
          "encryption-at-rest",
          "https-only",
          "least-privilege-read",
          "least-privilege-write",
          "access-logging",
          "versioning",
          "kms-key-in-organization",
          "kms-key-rotation",
        ],
      ],
      ["medium", 2, ["encryption-at-rest", "https-only", "least-privilege-write", "access-logging"]],
      ["low", 1, ["least-privilege-write", "access-logging"]],
    ]);
    expect(DEFAULT_SCHEME.tagKey).toBe("DataClassification");
    expect(DEFAULT_SCHEME.fallbackLevelKey).toBe("high");
    expect(topLevel(DEFAULT_SCHEME).key).toBe("high");
  });
});

describe("parseClassificationScheme", () => {
  it("round-trips the default scheme through export", () => {
    const parsed = parseClassificationScheme(JSON.parse(exportClassificationScheme(DEFAULT_SCHEME)));
    expect(parsed).toEqual({ ok: true, scheme: DEFAULT_SCHEME });
  });

  it("applies defaults for tagKey, fallbackLevelKey, description and aliases", () => {
    const parsed = parseClassificationScheme({
      levels: [{ key: "high", name: "High", rank: 1, requiredControlIds: [] }],
    });
    expect(parsed).toEqual({
      ok: true,
      scheme: {
        tagKey: "DataClassification",
        fallbackLevelKey: "high",
        levels: [{ key: "high", name: "High", rank: 1, description: "", requiredControlIds: [], valueAliases: [] }],
      },
    });
  });

  const level = { key: "high", name: "High", rank: 2, requiredControlIds: ["versioning"] };
  it.each([
    { name: "not an object", input: "x", errors: ["the scheme must be a JSON object"] },
    { name: "no levels", input: { levels: [] }, errors: ["levels: levels must have at least one level"] },
    { name: "levels not a list", input: { levels: {} }, errors: ["levels: levels must be a list"] },
    {
      name: "bad key",
      input: { levels: [{ ...level, key: "High Level" }] },
      errors: ["levels[0].key: key must be 1–32 lowercase letters, digits or dashes"],
    },
    {
      name: "rank not integer",
      input: { levels: [{ ...level, rank: 1.5 }] },
      errors: ["levels[0].rank: rank must be an integer"],
    },
    {
      name: "rank missing",
      input: { levels: [{ ...level, rank: undefined }] },
      errors: ["levels[0].rank: rank must be a number"],
    },
    {
      name: "unknown control",
      input: { levels: [{ ...level, requiredControlIds: ["versioning", "magic"] }] },
      errors: [
        expect.stringMatching(/^levels\[0\]\.requiredControlIds\[1\]: requiredControlIds: unknown control "magic"/),
      ],
    },
    {
      name: "duplicate key",
      input: { levels: [level, { ...level, rank: 1, name: "Other" }] },
      errors: ['levels[1].key: key "high" is used by more than one level'],
    },
    {
      name: "duplicate rank",
      input: { levels: [level, { ...level, key: "low", name: "Low" }] },
      errors: ["levels[1].rank: rank 2 is used by more than one level"],
    },
    {
      name: "fallback not a level",
      input: { fallbackLevelKey: "medium", levels: [level] },
      errors: ['fallbackLevelKey: fallbackLevelKey "medium" is not the key of any level (high)'],
    },
    {
      name: "alias collides",
      input: {
        levels: [
          { ...level, valueAliases: ["secret"] },
          { key: "low", name: "Low", rank: 1, requiredControlIds: [], valueAliases: ["Secret"] },
        ],
      },
      errors: ['levels[1].valueAliases[0]: tag value "Secret" would match both level "high" and level "low"'],
    },
    { name: "empty tagKey", input: { tagKey: " ", levels: [level] }, errors: ["tagKey: tagKey must not be empty"] },
  ])("$name", ({ input, errors }) => {
    expect(parseClassificationScheme(input)).toEqual({ ok: false, errors });
  });
});
