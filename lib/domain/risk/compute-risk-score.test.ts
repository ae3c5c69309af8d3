import { describe, expect, it } from "vitest";
import { CONTROL_CATALOG } from "../controls/catalog";
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
        { label: "publicly writable", points: 55 },
        { label: "publicly readable", points: 55 },
        { label: "Macie found sensitive data", points: 10 },
        { label: "sensitive data on a bucket classified below what it needs", points: 20 },
        { label: "sensitive data is publicly readable", points: 20 },
      ],
    },
    {
      name: "public read on a Low bucket",
      input: { ...base, levelRank: 1, exposure: { publicRead: "public", publicWrite: "not-public" } },
      score: 48,
      terms: [{ label: "publicly readable", points: 48 }],
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
      score: 44,
      terms: [{ label: "readable by an account outside the organisation and the trusted accounts", points: 44 }],
    });
  });
  it("adds nothing when every cross-account reader is trusted", () => {
    expect(computeRiskScore({ ...base, exposure: { ...base.exposure, untrustedCrossAccountRead: false } }).score).toBe(
      0,
    );
  });
});

describe("computeRiskScore: reach first", () => {
  const nonReachControls = CONTROL_CATALOG.map((c) => c.id).filter(
    (id) => !["no-public-read", "no-public-write", "least-privilege-read", "least-privilege-write"].includes(id),
  );
  // The worst a private bucket can look without sensitive data: unclassified (held to the top level), every
  // housekeeping control failing, and the unknown budget spent on top.
  const worstPrivate: RiskInput = {
    ...base,
    results: [
      ...nonReachControls.map((id) => r(id, "fail")),
      ...["least-privilege-read", "least-privilege-write", "no-public-read", "no-public-write"].map((id) =>
        r(id as RiskInput["results"][number]["controlId"], "unknown"),
      ),
    ],
  };
  const lowest = { ...base, levelRank: 1 };
  const publicLow: RiskInput = { ...lowest, exposure: { publicRead: "public", publicWrite: "not-public" } };
  const outsideLow: RiskInput = {
    ...lowest,
    exposure: { publicRead: "not-public", publicWrite: "not-public", untrustedCrossAccountRead: true },
  };
  const publicWriteOnly: RiskInput = { ...lowest, exposure: { publicRead: "not-public", publicWrite: "public" } };

  it.each([
    ["a public Low bucket with nothing else wrong", publicLow],
    ["a Low bucket an outside account reads", outsideLow],
    ["a publicly writable Low bucket", publicWriteOnly],
    [
      "a public Low bucket whose controls could not be checked",
      { ...publicLow, results: [r("versioning", "unknown")] },
    ],
  ])("%s ranks above the worst private bucket without sensitive data", (_, reachable) => {
    expect(computeRiskScore(reachable).score).toBeGreaterThan(computeRiskScore(worstPrivate).score);
  });

  it("a public bucket with sensitive data ranks above a private unclassified bucket with sensitive data", () => {
    const privateSensitive: RiskInput = { ...worstPrivate, sensitiveData: { found: true, belowRequiredLevel: true } };
    const publicSensitiveHigh: RiskInput = {
      ...base,
      exposure: { publicRead: "public", publicWrite: "not-public" },
      sensitiveData: { found: true, belowRequiredLevel: false },
    };
    expect(computeRiskScore(publicSensitiveHigh).score).toBeGreaterThan(computeRiskScore(privateSensitive).score);
  });

  it("caps housekeeping failures at 30 points together and says so per term", () => {
    const out = computeRiskScore(worstPrivate);
    const housekeeping = out.terms.filter((t) => t.controlId && nonReachControls.includes(t.controlId));
    expect(housekeeping.reduce((n, t) => n + t.points, 0)).toBe(30);
    expect(out.score).toBe(30 + 4 * 2); // plus the four unknowns
  });

  it("never caps the controls that open a bucket to others", () => {
    const out = computeRiskScore({
      ...worstPrivate,
      results: [...nonReachControls.map((id) => r(id, "fail")), r("least-privilege-write", "fail")],
    });
    expect(out.terms.find((t) => t.controlId === "least-privilege-write")?.points).toBe(12);
  });
});
