import { describe, expect, it } from "vitest";
import { absent, present, unknown, type ConfigVerdict, type PublicAccessBlock } from "./bucket-settings";
import { DEFAULT_SCHEME } from "./classification/scheme";
import { CONTROL_CATALOG } from "./controls/catalog";
import { goodInput, goodMacie } from "./controls/control-input-fixture";
import { evaluateBucket, type EvaluateBucketArgs } from "./evaluate-bucket";

const NOW = new Date("2026-06-01T00:00:00Z");
const { classification: _ignored, ...input } = goodInput();
const args = (over: Partial<EvaluateBucketArgs> = {}): EvaluateBucketArgs => ({
  scheme: DEFAULT_SCHEME,
  schemeVersion: 4,
  input,
  level: { levelKey: "high", source: "tag", classified: true, note: "tag DataClassification=High → High" },
  waivers: [],
  configVerdicts: [],
  deployedConfigRules: [],
  now: NOW,
  ...over,
});
const verdict = (
  sourceIdentifier: string,
  complianceType: ConfigVerdict["complianceType"],
  recordedAt = "2026-05-01T00:00:00Z",
): ConfigVerdict => ({
  sourceIdentifier,
  ruleName: sourceIdentifier.toLowerCase().replace(/_/g, "-"),
  complianceType,
  recordedAt,
  annotation: null,
});
const byId = (e: ReturnType<typeof evaluateBucket>) => Object.fromEntries(e.results.map((r) => [r.controlId, r]));

describe("evaluateBucket", () => {
  it("marks controls the level does not require as not-required, keeping the observed verdict", () => {
    const e = evaluateBucket(args({ level: { levelKey: "low", source: "tag", classified: true, note: "" } }));
    const r = byId(e);
    expect(e.level).toMatchObject({ levelKey: "low", levelName: "Low", levelRank: 1 });
    expect([r["least-privilege-write"]!.status, r["least-privilege-write"]!.required]).toEqual(["pass", true]);
    expect([
      r["encryption-at-rest"]!.status,
      r["encryption-at-rest"]!.observed,
      r["encryption-at-rest"]!.required,
    ]).toEqual(["not-required", "pass", false]);
    expect(e.results).toHaveLength(CONTROL_CATALOG.length);
    expect(e.schemeVersion).toBe(4);
  });

  it.each([
    {
      name: "active waiver turns a fail into waived",
      waivers: [{ id: "w1", controlId: "versioning", expiresAt: "2026-07-01T00:00:00Z" }],
      status: "waived",
      waiverId: "w1",
    },
    {
      name: "expired waiver does nothing",
      waivers: [{ id: "w1", controlId: "versioning", expiresAt: "2026-05-01T00:00:00Z" }],
      status: "fail",
      waiverId: undefined,
    },
    {
      name: "waiver expiring exactly now has expired",
      waivers: [{ id: "w1", controlId: "versioning", expiresAt: NOW }],
      status: "fail",
      waiverId: undefined,
    },
    {
      name: "waiver for another control does nothing",
      waivers: [{ id: "w1", controlId: "access-logging", expiresAt: "2027-01-01T00:00:00Z" }],
      status: "fail",
      waiverId: undefined,
    },
    {
      name: "longest active waiver is reported",
      waivers: [
        { id: "a", controlId: "versioning", expiresAt: "2026-07-01T00:00:00Z" },
        { id: "b", controlId: "versioning", expiresAt: new Date("2026-12-01T00:00:00Z") },
      ],
      status: "waived",
      waiverId: "b",
    },
  ])("$name", ({ waivers, status, waiverId }) => {
    const e = evaluateBucket(
      args({
        input: {
          ...input,
          settings: { ...input.settings, versioning: present({ status: "Suspended", mfaDelete: "Off" }) },
        },
        waivers,
      }),
    );
    const r = byId(e).versioning!;
    expect([r.status, r.observed, r.waiverId]).toEqual([status, "fail", waiverId]);
  });

  it("does not waive an unknown", () => {
    const e = evaluateBucket(
      args({
        input: { ...input, settings: { ...input.settings, versioning: unknown("AccessDenied") } },
        waivers: [{ id: "w", controlId: "versioning", expiresAt: "2027-01-01T00:00:00Z" }],
      }),
    );
    expect(byId(e).versioning!.status).toBe("unknown");
  });

  it.each([
    {
      name: "pass vs COMPLIANT",
      verdicts: [verdict("S3_BUCKET_VERSIONING_ENABLED", "COMPLIANT")],
      deployed: [],
      want: "agree",
    },
    {
      name: "pass vs NON_COMPLIANT",
      verdicts: [verdict("S3_BUCKET_VERSIONING_ENABLED", "NON_COMPLIANT")],
      deployed: [],
      want: "disagree",
    },
    {
      name: "latest verdict wins",
      verdicts: [
        verdict("S3_BUCKET_VERSIONING_ENABLED", "NON_COMPLIANT", "2026-01-01T00:00:00Z"),
        verdict("S3_BUCKET_VERSIONING_ENABLED", "COMPLIANT", "2026-05-01T00:00:00Z"),
      ],
      deployed: [],
      want: "agree",
    },
    {
      name: "NOT_APPLICABLE is not comparable",
      verdicts: [verdict("S3_BUCKET_VERSIONING_ENABLED", "NOT_APPLICABLE")],
      deployed: [],
      want: "not-comparable",
    },
    { name: "rule deployed, no evaluation", verdicts: [], deployed: ["S3_BUCKET_VERSIONING_ENABLED"], want: "no-data" },
    { name: "rule not deployed", verdicts: [], deployed: ["S3_BUCKET_LOGGING_ENABLED"], want: "rule-not-deployed" },
    { name: "Config state unknown", verdicts: [], deployed: null, want: "no-data" },
  ])("Config comparison: $name", ({ verdicts, deployed, want }) => {
    const e = evaluateBucket(args({ configVerdicts: verdicts, deployedConfigRules: deployed }));
    expect(byId(e).versioning!.config!.verdict).toBe(want);
  });

  it("reports the Config rule it compared with, and null for controls without one", () => {
    const e = evaluateBucket(args({ configVerdicts: [verdict("S3_BUCKET_SSL_REQUESTS_ONLY", "COMPLIANT")] }));
    expect(byId(e)["https-only"]!.config).toEqual({
      verdict: "agree",
      sourceIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY",
      comparedWith: "control",
      complianceType: "COMPLIANT",
      ruleName: "s3-bucket-ssl-requests-only",
      recordedAt: "2026-05-01T00:00:00Z",
      annotation: null,
    });
    expect(byId(e)["macie-monitored"]!.config).toBeNull();
  });

  describe("Config side by side compares like with like (issue 14 §3)", () => {
    const allOn = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    };
    const bucketBpaOff = {
      ...input,
      settings: {
        ...input.settings,
        publicAccessBlock: absent<PublicAccessBlock>("NoSuchPublicAccessBlockConfiguration"),
      },
      account: { ...input.account, publicAccessBlock: present(allOn) },
    };
    it("a bucket protected only by account-level BPA: the control passes, and Config's bucket-level NON_COMPLIANT agrees", () => {
      const e = evaluateBucket(
        args({
          input: bucketBpaOff,
          configVerdicts: [verdict("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "NON_COMPLIANT")],
        }),
      );
      const r = byId(e)["block-public-access"]!;
      expect(r.observed).toBe("pass");
      expect(r.config).toMatchObject({ verdict: "agree", comparedWith: "rule-definition" });
      expect(r.config!.basis).toContain("bucket's own Block Public Access");
    });
    it("the same bucket with Config COMPLIANT is a real disagreement", () => {
      const e = evaluateBucket(
        args({
          input: bucketBpaOff,
          configVerdicts: [verdict("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "COMPLIANT")],
        }),
      );
      expect(byId(e)["block-public-access"]!.config!.verdict).toBe("disagree");
    });
    it("SSE-KMS with the AWS managed key: the control fails, and Config's S3_DEFAULT_ENCRYPTION_KMS COMPLIANT agrees", () => {
      const managed = {
        ...input,
        settings: {
          ...input.settings,
          encryption: present({ rules: [{ algorithm: "aws:kms", kmsKeyId: null, bucketKeyEnabled: true }] }),
        },
      };
      const e = evaluateBucket(
        args({ input: managed, configVerdicts: [verdict("S3_DEFAULT_ENCRYPTION_KMS", "COMPLIANT")] }),
      );
      const r = byId(e)["kms-encryption"]!;
      expect(r.observed).toBe("fail");
      expect(r.config).toMatchObject({ verdict: "agree", comparedWith: "rule-definition" });
    });
    it("a rule that depends on parameters Custody cannot see is not comparable, with why", () => {
      const e = evaluateBucket(args({ configVerdicts: [verdict("S3_BUCKET_POLICY_GRANTEE_CHECK", "NON_COMPLIANT")] }));
      const r = byId(e)["least-privilege-read"]!;
      expect(r.config).toMatchObject({ verdict: "not-comparable", comparedWith: "nothing" });
      expect(r.config!.basis).toContain("rule's parameters");
    });
  });

  it("our unknown vs a Config verdict is not comparable", () => {
    const e = evaluateBucket(
      args({
        input: { ...input, settings: { ...input.settings, versioning: unknown("AccessDenied") } },
        configVerdicts: [verdict("S3_BUCKET_VERSIONING_ENABLED", "COMPLIANT")],
      }),
    );
    expect(byId(e).versioning!.config!.verdict).toBe("not-comparable");
  });

  it("a clean High bucket scores 0", () => {
    const e = evaluateBucket(args());
    expect(e.risk).toEqual({ score: 0, terms: [] });
    expect(e.macieMismatch).toBeNull();
    expect(e.exposure.publicRead.status).toBe("not-public");
  });

  it("sensitive data on a Low, public bucket: mismatch, exposure and risk explain themselves", () => {
    const publicPolicy = present({
      json: JSON.stringify({
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::data-bucket/*" },
        ],
      }),
    });
    const e = evaluateBucket(
      args({
        level: { levelKey: "low", source: "tag", classified: true, note: "" },
        input: {
          ...input,
          settings: { ...input.settings, policy: publicPolicy, publicAccessBlock: absent(), logging: absent() },
          account: { publicAccessBlock: absent() },
          macie: {
            ...goodMacie(),
            sensitiveFindings: {
              count: 2,
              maxSeverityScore: 3,
              categories: ["FINANCIAL_INFORMATION"],
              types: ["SensitiveData:S3Object/Financial"],
            },
          },
        },
      }),
    );
    expect(e.exposure.publicRead.status).toBe("public");
    expect(e.macieMismatch).toEqual({
      levelKey: "low",
      requiredLevelKey: "high",
      classified: true,
      categories: ["FINANCIAL_INFORMATION"],
      types: ["SensitiveData:S3Object/Financial"],
      findingCount: 2,
      sensitivityScore: 1,
      reason: "2 sensitive-data findings (FINANCIAL_INFORMATION) on a Low bucket: sensitive data needs High",
    });
    expect(byId(e)["sensitive-data-matches-level"]!.status).toBe("not-required");
    expect(e.risk.terms).toEqual([
      { label: "publicly readable", points: 48 },
      { label: "Macie found sensitive data", points: 10 },
      { label: "sensitive data on a bucket classified below what it needs", points: 20 },
      { label: "sensitive data is publicly readable", points: 20 },
      { label: "required control failed: Server access logging", points: 2, controlId: "access-logging" },
    ]);
    expect(e.risk.score).toBe(100);
  });

  it("a Medium bucket readable by an untrusted external account is not risk-free (least-privilege read not required)", () => {
    const policy = present({
      json: JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::444455556666:root" },
            Action: ["s3:GetObject"],
            Resource: "arn:aws:s3:::data-bucket/*",
          },
        ],
      }),
    });
    const medium = { levelKey: "medium", source: "tag" as const, classified: true, note: "" };
    const untrusted = evaluateBucket(
      args({ level: medium, input: { ...input, settings: { ...input.settings, policy } } }),
    );
    expect(byId(untrusted)["least-privilege-read"]).toMatchObject({ status: "not-required", observed: "fail" });
    expect(untrusted.risk.terms).toContainEqual({
      label: "readable by an account outside the organisation and the trusted accounts",
      points: 44,
    });
    const trusted = evaluateBucket(
      args({
        level: medium,
        input: { ...input, settings: { ...input.settings, policy }, trustedAccountIds: ["444455556666"] },
      }),
    );
    expect(trusted.risk.terms.some((t) => t.label.startsWith("readable by an account outside"))).toBe(false);
  });

  it("an unknown level key falls back to the scheme's fallback level", () => {
    const e = evaluateBucket(
      args({ level: { levelKey: "deleted-level", source: "manual", classified: true, note: "" } }),
    );
    expect(e.level.levelKey).toBe("high");
  });
});
