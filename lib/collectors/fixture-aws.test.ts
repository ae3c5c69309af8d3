import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { BUCKET_SETTING_KEYS, type BucketSettings } from "@/lib/domain/bucket-settings";
import { AssumeRoleError } from "./aws-clients";
import { collectAccount, type AccountCollection } from "./collect-account";
import {
  createFixtureConnector,
  DEMO_FIXTURE_OPTIONS,
  DEMO_SPECIAL_BUCKETS,
  DEMO_UNASSUMABLE_ACCOUNT_NAME,
  generateFixtureEstate,
  type FixtureEstate,
} from "./fixture-aws";
import { ABSENT_SETTING_ERRORS } from "./s3-transform";
import { collectS3Account } from "./s3";

const demo = () => generateFixtureEstate(DEMO_FIXTURE_OPTIONS);

describe("generateFixtureEstate", () => {
  it("same seed → identical estate; another seed → a different one", () => {
    const a = demo();
    const b = demo();
    expect(JSON.stringify(a.accounts)).toBe(JSON.stringify(b.accounts));
    expect(JSON.stringify(a.allBuckets())).toBe(JSON.stringify(b.allBuckets()));
    const c = generateFixtureEstate({ ...DEMO_FIXTURE_OPTIONS, seed: 7 });
    expect(JSON.stringify(c.allBuckets())).not.toBe(JSON.stringify(a.allBuckets()));
  });

  it("generates buckets lazily and identically whatever the order accounts are asked in", () => {
    const forward = generateFixtureEstate({ seed: 3, accounts: 20, bucketsPerAccount: 10 });
    const backward = generateFixtureEstate({ seed: 3, accounts: 20, bucketsPerAccount: 10 });
    const last = backward.accounts[19]?.accountId as string;
    const lastFirst = JSON.stringify(backward.bucketsOf(last));
    forward.allBuckets();
    expect(JSON.stringify(forward.bucketsOf(last))).toBe(lastFirst);
  });

  it("the demo: 8 accounts in 3 OUs, 3 regions, 120 buckets, one unassumable account", () => {
    const e = demo();
    expect(e.accounts).toHaveLength(8);
    expect(new Set(e.accounts.map((a) => a.ouPath))).toEqual(
      new Set(["Root/Security", "Root/Production", "Root/Development"]),
    );
    expect(e.regions).toEqual(["us-east-1", "eu-west-1", "ap-southeast-2"]);
    expect(e.bucketCount).toBe(120);
    expect(e.allBuckets()).toHaveLength(120);
    expect(new Set(e.allBuckets().map((b) => b.name)).size).toBe(120);
    expect(e.accounts.filter((a) => !a.assumable).map((a) => a.name)).toEqual([DEMO_UNASSUMABLE_ACCOUNT_NAME]);
    for (const a of e.accounts) expect(a.accountId).toMatch(/^\d{12}$/);
    for (const b of e.allBuckets()) expect(b.name).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
  });

  it("the demo contains every special bucket", () => {
    const names = new Set(
      demo()
        .allBuckets()
        .map((b) => b.name),
    );
    for (const name of Object.values(DEMO_SPECIAL_BUCKETS)) expect(names).toContain(name);
  });

  it("describes a 1,000-account × 100-bucket estate in well under 2 s (buckets are generated lazily)", () => {
    const started = performance.now();
    const big = generateFixtureEstate({
      seed: 9,
      accounts: 1000,
      bucketsPerAccount: 100,
      regions: ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-west-2"],
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(big.bucketCount).toBe(100_000);
    expect(new Set(big.accounts.map((a) => a.accountId)).size).toBe(1000);
    expect(big.bucketsOf(big.accounts[500]?.accountId as string)).toHaveLength(100);
  });

  it("failingAccountIds makes those roles unassumable", () => {
    const first = generateFixtureEstate({ seed: 5, accounts: 4 });
    const victim = first.accounts[2]?.accountId as string;
    const e = generateFixtureEstate({ seed: 5, accounts: 4, failingAccountIds: [victim] });
    expect(e.accounts.find((a) => a.accountId === victim)?.assumable).toBe(false);
  });
});

describe("the demo estate collected through the production collectors", () => {
  let estate: FixtureEstate;
  let results: AccountCollection[];
  const byName = new Map<string, { accountId: string; settings: BucketSettings; region: string }>();

  beforeAll(async () => {
    estate = demo();
    const connector = createFixtureConnector(estate);
    results = await Promise.all(
      estate.accounts.map((a) => collectAccount(connector, a, { homeRegion: a.homeRegion, regions: estate.regions })),
    );
    for (const r of results) {
      if (!r.connected) continue;
      for (const b of r.s3.buckets)
        byName.set(b.name, { accountId: r.accountId, settings: b.settings, region: b.region });
    }
  });

  const bucket = (name: string) => {
    const b = byName.get(name);
    if (!b) throw new Error(`bucket ${name} was not collected`);
    return b;
  };
  const connected = (name: string) => {
    const account = estate.accounts.find((a) => a.name === name);
    const r = results.find((x) => x.accountId === account?.accountId);
    if (!r?.connected) throw new Error(`${name} not connected`);
    return r;
  };

  it("the unassumable account fails with AssumeRoleError AccessDenied; its buckets are not collected", () => {
    const legacy = estate.accounts.find((a) => a.name === DEMO_UNASSUMABLE_ACCOUNT_NAME);
    const r = results.find((x) => x.accountId === legacy?.accountId);
    expect(r?.connected).toBe(false);
    if (r && !r.connected) {
      expect(r.error).toBeInstanceOf(AssumeRoleError);
      expect(r.error.code).toBe("AccessDenied");
      expect(r.error.explanation).toMatch(/trust policy/);
      // Issue 14 §11: a new user is told this failure is part of the demo.
      expect(r.error.explanation).toContain("Part of the demo");
    }
    expect(byName.has(DEMO_SPECIAL_BUCKETS.inUnassumableAccount)).toBe(false);
    expect(byName.size).toBe(120 - 15);
  });

  it("collected settings agree with every bucket's intended traits", () => {
    for (const b of estate.allBuckets()) {
      const got = byName.get(b.name);
      if (!got) continue; // unassumable account
      expect(got.region).toBe(b.region);
      const s = got.settings;
      const denied = (op: string) => b.deniedOperations.includes(op);
      if (!denied("GetBucketEncryption")) expect(s.encryption.status).toBe(b.encryption ? "present" : "absent");
      if (!denied("GetBucketPolicy")) expect(s.policy.status).toBe(b.policy?.length ? "present" : "absent");
      if (!denied("GetBucketLogging")) expect(s.logging.status).toBe(b.logging ? "present" : "absent");
      if (!denied("GetBucketTagging")) {
        if (s.tags.status === "present") expect(s.tags.value.DataClassification ?? null).toBe(b.classificationTag);
        else expect(b.classificationTag).toBeNull();
      }
      expect(s.versioning).toEqual({ status: "present", value: { status: b.versioning, mfaDelete: b.mfaDelete } });
      expect(s.publicAccessBlock.status).toBe(b.publicAccessBlock ? "present" : "absent");
      expect(s.ownershipControls.status).toBe(b.ownership ? "present" : "absent");
      for (const op of b.deniedOperations) {
        const key = {
          GetBucketPolicy: "policy",
          GetBucketLogging: "logging",
          GetBucketTagging: "tags",
          GetBucketReplication: "replication",
          GetBucketLifecycleConfiguration: "lifecycle",
        }[op] as keyof BucketSettings;
        expect(s[key]).toMatchObject({ status: "unknown", errorCode: "AccessDenied" });
      }
    }
  });

  it("every absent-setting error and an AccessDenied occur somewhere in the demo", () => {
    const seen = new Set<string>();
    for (const { settings } of byName.values()) {
      for (const key of BUCKET_SETTING_KEYS) {
        const s = settings[key];
        if (s.status === "absent" && s.errorCode) seen.add(`${key}:${s.errorCode}`);
        if (s.status === "unknown") seen.add(`${key}:unknown:${s.errorCode}`);
      }
    }
    for (const [key, code] of Object.entries(ABSENT_SETTING_ERRORS)) expect(seen).toContain(`${key}:${code}`);
    expect(seen).toContain("policy:unknown:AccessDenied");
  });

  it("public-read bucket: Principal * GetObject, bucket and account Block Public Access off, IsPublic", () => {
    const b = bucket(DEMO_SPECIAL_BUCKETS.publicRead);
    expect(b.settings.policy.status).toBe("present");
    if (b.settings.policy.status === "present") {
      const doc = JSON.parse(b.settings.policy.value.json);
      expect(doc.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }),
      );
    }
    expect(b.settings.publicAccessBlock).toEqual({
      status: "absent",
      errorCode: "NoSuchPublicAccessBlockConfiguration",
    });
    expect(b.settings.policyStatus).toEqual({ status: "present", value: { isPublic: true } });
    expect(connected("acme-marketing").s3.accountSettings.publicAccessBlock.status).toBe("absent");
  });

  it("cross-account bucket grants an outside account's root GetObject/ListBucket", () => {
    const b = bucket(DEMO_SPECIAL_BUCKETS.crossAccountRead);
    if (b.settings.policy.status !== "present") throw new Error("policy not present");
    const doc = JSON.parse(b.settings.policy.value.json);
    expect(doc.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::444455556666:root" },
        Action: ["s3:GetObject", "s3:ListBucket"],
      }),
    );
    expect(estate.accounts.map((a) => a.accountId)).not.toContain("444455556666");
  });

  it("Low bucket with personal data found by Macie (severity High)", () => {
    const b = bucket(DEMO_SPECIAL_BUCKETS.lowWithPersonalData);
    expect(b.settings.tags).toMatchObject({ status: "present", value: { DataClassification: "Low" } });
    const findings = connected("acme-prod-web").macie["us-east-1"]?.findings ?? [];
    expect(findings).toContainEqual(
      expect.objectContaining({
        bucketName: DEMO_SPECIAL_BUCKETS.lowWithPersonalData,
        category: "CLASSIFICATION",
        type: "SensitiveData:S3Object/Personal",
        severityScore: 3,
        severity: "High",
        sensitiveDataCategories: ["PERSONAL_INFORMATION"],
      }),
    );
  });

  it("unencrypted High bucket (legacy EU location) — and AWS Config's stale evaluation disagrees", () => {
    const b = bucket(DEMO_SPECIAL_BUCKETS.unencryptedHigh);
    expect(b.region).toBe("eu-west-1");
    expect(b.settings.encryption).toEqual({
      status: "absent",
      errorCode: "ServerSideEncryptionConfigurationNotFoundError",
    });
    expect(b.settings.tags).toMatchObject({ status: "present", value: { DataClassification: "High" } });
    const evals = connected("acme-prod-payments").config["eu-west-1"]?.evaluations ?? [];
    expect(evals).toContainEqual(
      expect.objectContaining({
        bucketName: DEMO_SPECIAL_BUCKETS.unencryptedHigh,
        sourceIdentifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
        complianceType: "COMPLIANT",
        recordedAt: "2022-11-03T09:12:00.000Z",
      }),
    );
    expect(estate.configDisagreements).toHaveLength(1);
  });

  it("fully compliant High bucket", () => {
    const s = bucket(DEMO_SPECIAL_BUCKETS.compliantHigh).settings;
    expect(s.encryption).toMatchObject({
      status: "present",
      value: { rules: [{ algorithm: "aws:kms", bucketKeyEnabled: true }] },
    });
    if (s.encryption.status === "present")
      expect(s.encryption.value.rules[0]?.kmsKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    if (s.policy.status !== "present") throw new Error("no policy");
    expect(JSON.parse(s.policy.value.json).Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    expect(s.versioning).toEqual({ status: "present", value: { status: "Enabled", mfaDelete: "Enabled" } });
    expect(s.logging).toEqual({
      status: "present",
      value: { targetBucket: DEMO_SPECIAL_BUCKETS.accessLogs, targetPrefix: `${DEMO_SPECIAL_BUCKETS.compliantHigh}/` },
    });
    expect(s.publicAccessBlock).toEqual({
      status: "present",
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    });
    expect(s.ownershipControls).toEqual({ status: "present", value: { objectOwnership: "BucketOwnerEnforced" } });
    expect(s.tags).toMatchObject({ status: "present", value: { DataClassification: "High" } });
    expect(s.replication.status).toBe("present");
    expect(s.policyStatus).toEqual({ status: "present", value: { isPublic: false } });
  });

  it("policy read denied → unknown; unclassified buckets have no DataClassification tag", () => {
    expect(bucket(DEMO_SPECIAL_BUCKETS.policyReadDenied).settings.policy).toEqual({
      status: "unknown",
      reason: "AccessDenied: Access Denied",
      errorCode: "AccessDenied",
    });
    const scratch = bucket(DEMO_SPECIAL_BUCKETS.unclassified).settings.tags;
    expect(scratch.status).toBe("present");
    if (scratch.status === "present") expect(scratch.value.DataClassification).toBeUndefined();
    expect(bucket(DEMO_SPECIAL_BUCKETS.unclassifiedNoTags).settings.tags).toEqual({
      status: "absent",
      errorCode: "NoSuchTagSet",
    });
    expect(bucket(DEMO_SPECIAL_BUCKETS.unrecognizedTag).settings.tags).toMatchObject({
      status: "present",
      value: { DataClassification: "Secret" },
    });
  });

  it("public ACL bucket shows the AllUsers READ grant; the log bucket shows LogDelivery grants", () => {
    const acl = bucket(DEMO_SPECIAL_BUCKETS.publicAcl).settings.acl;
    if (acl.status !== "present") throw new Error("acl");
    expect(acl.value.grants).toContainEqual(
      expect.objectContaining({
        granteeType: "Group",
        grantee: "http://acs.amazonaws.com/groups/global/AllUsers",
        permission: "READ",
      }),
    );
    const logs = bucket(DEMO_SPECIAL_BUCKETS.accessLogs).settings.acl;
    if (logs.status !== "present") throw new Error("acl");
    expect(logs.value.grants.map((g) => g.grantee)).toContain("http://acs.amazonaws.com/groups/s3/LogDelivery");
  });

  it("Macie: disabled everywhere in the sandbox, paused in one region, findings consistent with buckets", () => {
    const sandbox = connected("acme-dev-sandbox");
    for (const region of estate.regions) expect(sandbox.macie[region]?.session.status).toBe("disabled");
    expect(connected("acme-data-platform").macie["ap-southeast-2"]?.session.status).toBe("paused");
    for (const r of results) {
      if (!r.connected) continue;
      const names = new Set(r.s3.buckets.map((b) => b.name));
      for (const [region, m] of Object.entries(r.macie)) {
        expect(m.error).toBeNull();
        for (const f of m.findings) {
          expect(names).toContain(f.bucketName);
          expect(f.region).toBe(region);
          expect(f.archived).toBe(false);
        }
        for (const p of m.bucketProfiles) expect(byName.get(p.bucketName)?.region).toBe(region);
      }
    }
  });

  it("Config: rules under conformance-pack, Organization and Security Hub names are matched by identifier", () => {
    const rules = connected("acme-prod-payments").config["us-east-1"]?.rules ?? [];
    expect(rules.map((r) => r.ruleName)).toContainEqual(
      expect.stringMatching(/^s3-bucket-ssl-requests-only-conformance-pack-/),
    );
    expect(rules.map((r) => r.ruleName)).toContainEqual(
      expect.stringMatching(/^OrgConfigRule-s3-bucket-versioning-enabled-/),
    );
    expect(rules.map((r) => r.sourceIdentifier)).not.toContain("INCOMING_SSH_DISABLED");
    expect(connected("acme-prod-web").config["us-east-1"]?.rules.map((r) => r.ruleName)).toContainEqual(
      expect.stringMatching(/^securityhub-s3-bucket-ssl-requests-only-/),
    );
    expect(connected("acme-dev-sandbox").config["us-east-1"]?.recorder).toEqual({ status: "absent" });
    for (const r of results) {
      if (!r.connected) continue;
      for (const c of Object.values(r.config)) {
        expect(c.error).toBeNull();
        for (const e of c.evaluations) expect(byName.get(e.bucketName)?.accountId).toBe(r.accountId);
      }
    }
  });
});

describe("createFixtureConnector", () => {
  const estate = demo();
  const payments = estate.accounts.find((a) => a.name === "acme-prod-payments");
  if (!payments) throw new Error("demo account missing");

  it("answers GetBucketLocation with the legacy EU constraint and omits it for us-east-1", async () => {
    const clients = await createFixtureConnector(estate).connect(payments);
    expect(
      (
        await clients
          .s3("us-east-1")
          .send(new GetBucketLocationCommand({ Bucket: DEMO_SPECIAL_BUCKETS.unencryptedHigh }))
      ).LocationConstraint,
    ).toBe("EU");
    expect(
      (await clients.s3("us-east-1").send(new GetBucketLocationCommand({ Bucket: DEMO_SPECIAL_BUCKETS.compliantHigh })))
        .LocationConstraint,
    ).toBeUndefined();
  });

  it("returns BucketRegion only when ListBuckets carries a parameter, like S3", async () => {
    const s3 = (await createFixtureConnector(estate).connect(payments)).s3("us-east-1");
    const bare = await s3.send(new ListBucketsCommand({}));
    expect(bare.Buckets?.every((b) => b.BucketRegion === undefined)).toBe(true);
    const paged = await s3.send(new ListBucketsCommand({ MaxBuckets: 4 }));
    expect(paged.Buckets).toHaveLength(4);
    expect(paged.ContinuationToken).toBeTruthy();
    expect(paged.Buckets?.every((b) => typeof b.BucketRegion === "string")).toBe(true);
  });

  it("a bucket addressed through another region's endpoint answers 301 PermanentRedirect", async () => {
    const s3 = (await createFixtureConnector(estate).connect(payments)).s3("us-east-1");
    await expect(
      s3.send(new GetBucketPolicyCommand({ Bucket: DEMO_SPECIAL_BUCKETS.crossAccountRead })),
    ).rejects.toMatchObject({
      name: "PermanentRedirect",
      $metadata: { httpStatusCode: 301 },
    });
  });

  it("refuses writes and names unimplemented reads", async () => {
    const s3 = (await createFixtureConnector(estate).connect(payments)).s3("us-east-1");
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: "x", Policy: "{}" }) as never)).rejects.toThrow(
      /read-only.*s3:PutBucketPolicy/,
    );
    await expect(s3.send(new ListObjectsV2Command({ Bucket: "x" }) as never)).rejects.toThrow(
      /does not implement s3:ListObjectsV2/,
    );
  });

  it("ExternalId mismatch and unknown roles fail connect with AssumeRoleError", async () => {
    const connector = createFixtureConnector(estate);
    await expect(connector.connect({ ...payments, externalId: "wrong" })).rejects.toMatchObject({
      code: "AccessDenied",
      explanation: expect.stringMatching(/ExternalId/),
    });
    await expect(
      connector.connect({ accountId: "999999999999", roleArn: "arn:aws:iam::999999999999:role/x", externalId: null }),
    ).rejects.toBeInstanceOf(AssumeRoleError);
    expect(await connector.testConnection(payments)).toMatchObject({
      ok: true,
      accountId: payments.accountId,
      externalIdEnforced: true,
    });
  });

  it("throttles per account and API like S3 (SlowDown 503) → unknown settings, never a crash", async () => {
    const connector = createFixtureConnector(estate, { throttle: { ratePerSecondPerAccountApi: 2 }, maxAttempts: 1 });
    const clients = await connector.connect(payments);
    const result = await collectS3Account(clients, {
      accountId: payments.accountId,
      homeRegion: "us-east-1",
      bucketConcurrency: 15,
    });
    const throttled = result.buckets.filter((b) => b.settings.policy.status === "unknown");
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]?.settings.policy).toMatchObject({
      errorCode: "SlowDown",
      reason: "SlowDown: Please reduce your request rate.",
    });
    expect(connector.throttledAttempts()).toBeGreaterThan(0);
  });

  it("the emulated SDK retry absorbs occasional throttling", async () => {
    const connector = createFixtureConnector(estate, {
      throttle: { ratePerSecondPerAccountApi: 50 },
      maxAttempts: 5,
      retryBaseDelayMs: 5,
    });
    const clients = await connector.connect(payments);
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        clients
          .s3("us-east-1")
          .send(new ListBucketsCommand({ MaxBuckets: 1 }))
          .then(
            () => "ok",
            (e: Error) => e.name,
          ),
      ),
    );
    expect(connector.throttledAttempts()).toBeGreaterThan(0);
    expect(results.filter((r) => r !== "ok").length).toBeLessThan(results.length);
  });

  it("adds the configured latency to every call", async () => {
    const clients = await createFixtureConnector(estate, { latencyMs: 25 }).connect(payments);
    const started = performance.now();
    await clients.s3("us-east-1").send(new ListBucketsCommand({ MaxBuckets: 1 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
  });
});
