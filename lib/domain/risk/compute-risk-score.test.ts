import { describe, expect, it } from "vitest";
import { computeRiskScore, type RiskInput } from "./compute-risk-score";

const base: RiskInput = {
  results: [],
  levelRank: 3,
  topLevelRank: 3,
  exposure: { publicRead: "not-public", publicWrite: "not-public" },
  sensitiveData: { found: false, belowRequiredLevel: false },
};
const r = (
  controlId: RiskInput["results"][number]["controlId"],
  status: RiskInput["results"][number]["status"],
  required = true,
) => ({
  controlId,
  title: controlId,
  required,
  status,
});

describe("computeRiskScore", () => {
  it.each<{ name: string; input: RiskInput; score: number; terms: ReturnType<typeof computeRiskScore>["terms"] }>([
    { name: "clean", input: base, score: 0, terms: [] },
    {
      name: "failed required controls weighted by level (High)",
      input: {
        ...base,
        results: [r("versioning", "fail"), r("access-logging", "pass"), r("lifecycle", "fail", false)],
      },
      score: 6,
      terms: [{ label: "required control failed: versioning", points: 6, controlId: "versioning" }],
    },
    {
      name: "same failure on a Low bucket weighs a third",
      input: { ...base, levelRank: 1, results: [r("least-privilege-write", "fail")] },
      score: 4,
      terms: [
        { label: "required control failed: least-privilege-write", points: 4, controlId: "least-privilege-write" },
      ],
    },
    {
      name: "waived counts 0 but is listed",
      input: { ...base, results: [r("versioning", "waived")] },
      score: 0,
      terms: [{ label: "required control waived: versioning", points: 0, controlId: "versioning" }],
    },
    {
      name: "public write and read on High with sensitive data below level",
      input: {
        ...base,
        exposure: { publicRead: "public", publicWrite: "public" },
        sensitiveData: { found: true, belowRequiredLevel: true },
      },
      score: 100,
      terms: [
        { label: "publicly writable", points: 40 },
        { label: "publicly readable", points: 30 },
        { label: "Macie found sensitive data", points: 10 },
        { label: "sensitive data on a bucket classified below what it needs", points: 20 },
        { label: "sensitive data is publicly readable", points: 20 },
      ],
    },
    {
      name: "public read on a Low bucket",
      input: { ...base, levelRank: 1, exposure: { publicRead: "public", publicWrite: "not-public" } },
      score: 10,
      terms: [{ label: "publicly readable", points: 10 }],
    },
    {
      name: "unknown exposure adds nothing by itself",
      input: { ...base, exposure: { publicRead: "unknown", publicWrite: "unknown" } },
      score: 0,
      terms: [],
    },
  ])("$name", ({ input, score, terms }) => {
    expect(computeRiskScore(input)).toEqual({ score, terms });
  });

  it("caps unknowns on required controls at 10 points", () => {
    const ids = [
      "encryption-at-rest",
      "https-only",
      "least-privilege-read",
      "least-privilege-write",
      "access-logging",
      "versioning",
    ] as const;
    const out = computeRiskScore({ ...base, results: ids.map((id) => r(id, "unknown")) });
    expect(out.terms.map((t) => t.points)).toEqual([2, 2, 2, 2, 2, 0]);
    expect(out.score).toBe(10);
  });
});

describe("computeRiskScore: untrusted cross-account read", () => {
  it("counts a reader outside the organisation even when the level does not require least-privilege read", () => {
    const score = computeRiskScore({
      ...base,
      levelRank: 2,
      exposure: { ...base.exposure, untrustedCrossAccountRead: true },
      results: [r("least-privilege-read", "not-required", false)],
    });
    expect(score).toEqual({
      score: 10,
      terms: [{ label: "readable by an account outside the organisation and the trusted accounts", points: 10 }],
    });
  });
  it("adds nothing when every cross-account reader is trusted", () => {
    expect(computeRiskScore({ ...base, exposure: { ...base.exposure, untrustedCrossAccountRead: false } }).score).toBe(
      0,
    );
  });
});
