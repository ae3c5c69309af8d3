/**
 * The verdicts a security engineer gives by hand for each special demo bucket, checked against what the real
 * ingest + evaluation path stores. Written from the bucket's description in DEMO_SPECIAL_BUCKETS and AWS
 * semantics, not copied from the code's output.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SPECIAL_BUCKETS as S } from "@/lib/sources/fixture/estate";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { scratchDb } from "../support/scratch-db";

type Verdict = Awaited<ReturnType<typeof load>>;
let db: Awaited<ReturnType<typeof scratchDb>>;

async function load(name: string) {
  const b = await db.prisma.bucket.findFirstOrThrow({
    where: { name },
    select: {
      levelKey: true,
      levelSource: true,
      classified: true,
      exposure: true,
      publicWrite: true,
      riskScore: true,
      failingRequired: true,
      unknownRequired: true,
      compliant: true,
      configDisagreements: true,
      macieFindings: true,
      controlResults: {
        select: {
          controlId: true,
          required: true,
          status: true,
          observed: true,
          reason: true,
          configVerdict: true,
          configCompliance: true,
        },
      },
    },
  });
  const c = Object.fromEntries(b.controlResults.map((r) => [r.controlId, r]));
  const required = Object.fromEntries(b.controlResults.filter((r) => r.required).map((r) => [r.controlId, r.status]));
  return { ...b, c, required };
}

describe("special demo buckets: the verdicts a security engineer would give", () => {
  const v: Record<string, Verdict> = {};
  beforeAll(async () => {
    process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
    db = await scratchDb("verdicts");
    await loadDemoOrganisation(db.prisma, { historyDays: 1 });
    for (const name of Object.values(S)) if (name !== S.inUnassumableAccount) v[name] = await load(name);
  });
  afterAll(async () => db.drop());

  it("publicRead: Low by tag, publicly readable through its policy (no BPA anywhere); Low's controls pass, the exposure still scores", () => {
    const b = v[S.publicRead]!;
    expect(b).toMatchObject({
      levelKey: "low",
      levelSource: "tag",
      classified: true,
      exposure: "public",
      publicWrite: "not-public",
    });
    expect(b.required).toEqual({ "least-privilege-write": "pass", "access-logging": "pass" });
    expect(b.c["no-public-read"]).toMatchObject({ observed: "fail", configVerdict: "agree" });
    expect(b.c["block-public-access"]).toMatchObject({ observed: "fail" });
    expect(b.riskScore).toBeGreaterThan(0); // intended public data is still exposure
  });

  it("crossAccountRead: High, not public, but an account outside the organisation reads it — least-privilege read fails, and it is not risk-free", () => {
    const b = v[S.crossAccountRead]!;
    expect(b).toMatchObject({ levelKey: "high", levelSource: "tag", exposure: "not-public" });
    expect(b.c["least-privilege-read"]).toMatchObject({ observed: "fail" });
    expect(b.c["least-privilege-read"]!.reason).toContain("444455556666");
    expect(b.riskScore).toBeGreaterThan(0);
  });

  it("lowWithPersonalData: tagged Low while Macie found personal data → the mismatch is flagged and the risk is high", () => {
    const b = v[S.lowWithPersonalData]!;
    expect(b).toMatchObject({ levelKey: "low", levelSource: "tag", exposure: "not-public", macieFindings: 1 });
    expect(b.c["sensitive-data-matches-level"]!.observed).toBe("fail");
    expect(b.c["sensitive-data-matches-level"]!.reason).toMatch(/PERSONAL_INFORMATION.*Low.*High/);
    // Riskier than every bucket whose only problems are failed controls on Low.
    expect(b.riskScore).toBeGreaterThanOrEqual(30);
  });

  it("unencryptedHigh: High without default encryption fails encryption-at-rest, and AWS Config's stale COMPLIANT is shown as a disagreement", () => {
    const b = v[S.unencryptedHigh]!;
    expect(b).toMatchObject({ levelKey: "high", levelSource: "tag", compliant: false });
    expect(b.required["encryption-at-rest"]).toBe("fail");
    expect(b.c["encryption-at-rest"]).toMatchObject({ configVerdict: "disagree", configCompliance: "COMPLIANT" });
    expect(b.configDisagreements).toBeGreaterThanOrEqual(1);
    // Financial data on a High bucket is where it belongs: no mismatch.
    expect(b.c["sensitive-data-matches-level"]!.observed).toBe("pass");
  });

  it.each([
    { key: "unclassified" as const, config: "agree" },
    { key: "unclassifiedNoTags" as const, config: "rule-not-deployed" },
  ])(
    "$key: no usable tag → unclassified, held to the fallback High; no https deny, no logging, no versioning fail",
    ({ key, config }) => {
      const b = v[S[key]]!;
      expect(b).toMatchObject({
        levelKey: "high",
        levelSource: "fallback",
        classified: false,
        exposure: "not-public",
        compliant: false,
      });
      expect(b.required).toMatchObject({
        "encryption-at-rest": "pass",
        "https-only": "fail",
        "access-logging": "fail",
        versioning: "fail",
      });
      expect(b.failingRequired).toBe(3);
      expect(b.c["access-logging"]!.configVerdict).toBe(config);
    },
  );

  it("compliantHigh: every required control of High passes, risk 0", () => {
    const b = v[S.compliantHigh]!;
    expect(b).toMatchObject({
      levelKey: "high",
      levelSource: "tag",
      exposure: "not-public",
      compliant: true,
      riskScore: 0,
      failingRequired: 0,
      unknownRequired: 0,
    });
    // DESIGN.md §4's six, plus the key controls: its key is the account's own and rotates.
    expect(Object.values(b.required)).toEqual(Array(8).fill("pass"));
    // Its replica is a versioned, locked bucket in the log-archive account: a copy kept apart from production.
    expect(b.c["backups-kept-apart"]).toMatchObject({ observed: "pass" });
    expect(b.c["backups-kept-apart"]!.reason).toMatch(/in account acme-log-archive \(\d{12}\)/);
  });

  it("a replica named in a linked account where no such bucket was read is unknown, never a pass", async () => {
    const rows = await db.prisma.controlResult.findMany({
      where: { controlId: "backups-kept-apart", observed: "unknown" },
      select: { reason: true },
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => /read no such bucket in account/.test(r.reason))).toBe(true);
  });

  it("policyReadDenied: the policy is unknown → the controls that need it are unknown (never pass), the bucket is not compliant", () => {
    const b = v[S.policyReadDenied]!;
    expect(b.required).toMatchObject({
      "https-only": "unknown",
      "least-privilege-read": "unknown",
      "least-privilege-write": "unknown",
      "encryption-at-rest": "pass",
    });
    expect(b).toMatchObject({ unknownRequired: 3, compliant: false });
    expect(b.c["https-only"]!.reason).toContain("AccessDenied");
    // RestrictPublicBuckets at bucket and account level: even an unknown policy cannot make it public.
    expect(b.exposure).toBe("not-public");
  });

  it("publicAcl: the AllUsers READ grant is neutralised by the account's IgnorePublicAcls → not public; ACLs still enabled; Medium fails https-only and logging", () => {
    const b = v[S.publicAcl]!;
    expect(b).toMatchObject({ levelKey: "medium", exposure: "not-public" });
    expect(b.c["no-public-read"]!.observed).toBe("pass");
    expect(b.c["no-public-read"]!.reason).toContain("IgnorePublicAcls");
    expect(b.c["acls-disabled"]!.observed).toBe("fail");
    expect(b.required).toMatchObject({ "https-only": "fail", "access-logging": "fail", "encryption-at-rest": "pass" });
    // Config's bucket-level BPA rule sees the bucket's own BPA off; we judge the effective (account-level) BPA. Config
    // is compared with our answer to the rule's own question (the bucket level), so the two agree: no false alarm.
    expect(b.c["block-public-access"]).toMatchObject({
      observed: "pass",
      configVerdict: "agree",
      configCompliance: "NON_COMPLIANT",
    });
  });

  it("accessLogs: the log target does not log to itself → access-logging fails (a waiver candidate); LogDelivery's write grant is not a least-privilege failure", () => {
    const b = v[S.accessLogs]!;
    expect(b.required["access-logging"]).toBe("fail");
    expect(b.required["least-privilege-write"]).toBe("pass");
    expect(b.c["least-privilege-write"]!.reason).toContain("LogDelivery");
    expect(b.c["object-lock"]!.observed).toBe("pass");
    expect(b.failingRequired).toBe(1);
  });

  it("unrecognizedTag: 'Secret' matches no level → unclassified, held to High (which it meets)", () => {
    const b = v[S.unrecognizedTag]!;
    expect(b).toMatchObject({
      levelKey: "high",
      levelSource: "fallback",
      classified: false,
      failingRequired: 0,
      compliant: true,
    });
  });

  it("inUnassumableAccount: never collected, so never shown as evaluated", async () => {
    expect(await db.prisma.bucket.count({ where: { name: S.inUnassumableAccount } })).toBe(0);
  });
});
