import { describe, expect, it } from "vitest";
import { diffSchemes } from "./diff-scheme";
import { DEFAULT_SCHEME, type ClassificationScheme } from "./scheme";

const edit = (fn: (s: ClassificationScheme) => void): ClassificationScheme => {
  const s = structuredClone(DEFAULT_SCHEME);
  fn(s);
  return s;
};

describe("diffSchemes", () => {
  it("no change → nothing to re-evaluate", () => {
    expect(diffSchemes(DEFAULT_SCHEME, structuredClone(DEFAULT_SCHEME))).toEqual({
      changes: [],
      reevaluate: "none",
      levelKeys: [],
    });
  });

  it("required controls of one level → only that level's buckets", () => {
    const after = edit((s) => {
      s.levels[1]!.requiredControlIds = ["encryption-at-rest", "https-only", "least-privilege-write", "versioning"];
    });
    expect(diffSchemes(DEFAULT_SCHEME, after)).toEqual({
      changes: ["level medium now requires versioning", "level medium no longer requires access-logging"],
      reevaluate: "levels",
      levelKeys: ["medium"],
    });
  });

  it.each([
    {
      name: "tag key",
      fn: (s: ClassificationScheme) => void (s.tagKey = "Sensitivity"),
      change: "tag key DataClassification → Sensitivity",
    },
    {
      name: "fallback",
      fn: (s: ClassificationScheme) => void (s.fallbackLevelKey = "medium"),
      change: "fallback level high → medium",
    },
    {
      name: "rename",
      fn: (s: ClassificationScheme) => void (s.levels[2]!.name = "Public"),
      change: "level low renamed Low → Public",
    },
    { name: "rank", fn: (s: ClassificationScheme) => void (s.levels[2]!.rank = 0), change: "level low rank 1 → 0" },
    {
      name: "aliases",
      fn: (s: ClassificationScheme) => void (s.levels[1]!.valueAliases = ["internal", "intern"]),
      change: "level medium tag values internal → internal, intern",
    },
    { name: "level removed", fn: (s: ClassificationScheme) => void s.levels.pop(), change: "level low removed" },
  ])("$name → every bucket", ({ fn, change }) => {
    const d = diffSchemes(DEFAULT_SCHEME, edit(fn));
    expect(d.changes).toContain(change);
    expect(d.reevaluate).toBe("all");
  });

  it("a description or order change is recorded but re-evaluates nothing", () => {
    const d = diffSchemes(
      DEFAULT_SCHEME,
      edit((s) => {
        s.levels[0]!.description = "x";
        s.levels.reverse();
      }),
    );
    expect(d).toEqual({
      changes: ["level high description changed", "levels reordered: low, medium, high"],
      reevaluate: "none",
      levelKeys: [],
    });
  });
});
