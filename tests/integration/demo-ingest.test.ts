/**
 * The demo organisation goes through the real ingest path (fixture AWS → collectors → load → evaluation). These
 * tests check exact row counts against the generator's own description of the estate, that a second sync of
 * unchanged data writes no new state, and that a failing account keeps its last good data.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleError, type AwsConnector } from "@/lib/sources/shared/connector";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { configService, collectConfigRegion } from "@/lib/sources/config/collect";
import { macieService, collectMacieRegion } from "@/lib/sources/macie/collect";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { runSync } from "@/lib/sync/run-sync";
import { scratchDb } from "../support/scratch-db";

const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
const readable = estate.accounts.filter((a) => a.assumable);
const unassumable = estate.accounts.filter((a) => !a.assumable);

describe("demo organisation through the ingest path", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  beforeAll(async () => {
    process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
    db = await scratchDb("demo");
    await loadDemoOrganisation(db.prisma, { historyDays: 3 });
  });
  afterAll(async () => db.drop());

  it("stores every bucket of every readable account, one state each, and none of the unassumable one", async () => {
    const expected = readable.reduce((n, a) => n + estate.bucketsOf(a.accountId).length, 0);
    expect(await db.prisma.account.count()).toBe(estate.accounts.length);
    expect(await db.prisma.bucket.count()).toBe(expected);
    expect(await db.prisma.bucketState.count()).toBe(expected);
    expect(await db.prisma.bucketSettingChange.count()).toBe(0);
    for (const a of unassumable) expect(await db.prisma.bucket.count({ where: { accountId: a.accountId } })).toBe(0);
    // Every stored bucket is a bucket the estate has, in the region the estate puts it.
    const stored = await db.prisma.bucket.findMany({ select: { name: true, region: true, accountId: true } });
    const truth = new Map(
      readable.flatMap((a) => estate.bucketsOf(a.accountId).map((b) => [b.name, b.region] as const)),
    );
    for (const b of stored) expect(truth.get(b.name)).toBe(b.region);
  });

  it("stores exactly the Config evaluations and Macie findings the collectors read", async () => {
    const connector = createFixtureConnector(estate);
    let evaluations = 0;
    let findings = 0;
    for (const a of readable) {
      const clients = await connector.connect({ accountId: a.accountId, roleArn: a.roleArn, externalId: a.externalId });
      for (const region of estate.regions) {
        const config = await collectConfigRegion(clients.get(configService, region), {
          accountId: a.accountId,
          region,
        });
        if (!config.error) evaluations += new Set(config.evaluations.map((e) => `${e.ruleName}/${e.bucketName}`)).size;
        const macie = await collectMacieRegion(clients.get(macieService, region), { accountId: a.accountId, region });
        if (!macie.error) findings += macie.findings.length;
      }
    }
    expect(evaluations).toBeGreaterThan(0);
    expect(await db.prisma.configEvaluation.count()).toBe(evaluations);
    expect(await db.prisma.macieFinding.count()).toBe(findings);
  });

  it("records the unassumable account as failed with its reason, and the run as partial", async () => {
    for (const a of unassumable) {
      const account = await db.prisma.account.findUniqueOrThrow({ where: { id: a.accountId } });
      expect(account.lastSyncStatus).toBe("failed");
      expect(account.lastErrorCode).toBe("AccessDenied");
      expect(account.lastError).toMatch(/could not assume/);
      expect(account.lastSuccessAt).toBeNull();
    }
    const run = await db.prisma.syncRun.findFirstOrThrow({ where: { trigger: "demo" } });
    expect(run.status).toBe("partial");
    expect(run.accountsTotal).toBe(estate.accounts.length);
    expect(run.accountsFailed).toBe(unassumable.length);
    expect(run.calls).toBeGreaterThan(0);
  });

  it("evaluates every bucket and records the scheme version used", async () => {
    const buckets = await db.prisma.bucket.findMany({
      select: { evaluatedAt: true, schemeVersion: true, _count: { select: { controlResults: true } } },
    });
    for (const b of buckets) {
      expect(b.evaluatedAt).not.toBeNull();
      expect(b.schemeVersion).toBe(1);
      expect(b._count.controlResults).toBe(CONTROL_CATALOG.length);
    }
  });

  it("marks the public-read bucket public and the policy-denied bucket's policy unknown", async () => {
    const pub = await db.prisma.bucket.findFirstOrThrow({ where: { name: DEMO_SPECIAL_BUCKETS.publicRead } });
    expect(pub.exposure).toBe("public");
    const denied = await db.prisma.bucket.findFirstOrThrow({
      where: { name: DEMO_SPECIAL_BUCKETS.policyReadDenied },
      select: { currentState: { select: { settings: true } } },
    });
    expect((denied.currentState!.settings as { policy: { status: string; errorCode?: string } }).policy).toMatchObject({
      status: "unknown",
      errorCode: "AccessDenied",
    });
  });

  it("a second sync of unchanged data writes no new state and no change", async () => {
    const states = await db.prisma.bucketState.count();
    const buckets = await db.prisma.bucket.count();
    const run = await runSync(db.prisma, createFixtureConnector(estate), { trigger: "cli", regions: estate.regions });
    expect(run.status).toBe("partial");
    expect(await db.prisma.bucket.count()).toBe(buckets);
    expect(await db.prisma.bucketState.count()).toBe(states);
    expect(await db.prisma.bucketSettingChange.count()).toBe(0);
    // Unchanged buckets are not rewritten: they still carry the sync that first stored their current state, and
    // the account's last successful sync says when they were last confirmed.
    const lastSeen = await db.prisma.bucket.findMany({ select: { lastSeenSyncId: true } });
    expect(lastSeen.some((b) => b.lastSeenSyncId === run.syncRunId)).toBe(false);
    const confirmed = await db.prisma.account.findMany({
      where: { lastSyncStatus: { not: "failed" } },
      select: { lastSuccessAt: true },
    });
    const runRow = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.syncRunId } });
    for (const a of confirmed) expect(a.lastSuccessAt!.getTime()).toBeGreaterThanOrEqual(runRow.startedAt!.getTime());
  });

  it("an account that fails later keeps its last good data, not marked gone", async () => {
    const victim = readable[0]!;
    const before = await db.prisma.bucket.count({ where: { accountId: victim.accountId, goneAt: null } });
    expect(before).toBeGreaterThan(0);
    const real = createFixtureConnector(estate);
    const failing: AwsConnector = {
      callCounts: () => real.callCounts(),
      connect: (ref) =>
        ref.accountId === victim.accountId
          ? Promise.reject(new AssumeRoleError("AccessDenied", "denied", "The role's trust policy changed."))
          : real.connect(ref),
    };
    await runSync(db.prisma, failing, { trigger: "cli", regions: estate.regions });
    expect(await db.prisma.bucket.count({ where: { accountId: victim.accountId, goneAt: null } })).toBe(before);
    const account = await db.prisma.account.findUniqueOrThrow({ where: { id: victim.accountId } });
    expect(account.lastSyncStatus).toBe("failed");
    expect(account.lastSuccessAt).not.toBeNull();
    expect(await db.prisma.controlResult.count({ where: { bucket: { accountId: victim.accountId } } })).toBe(
      before * CONTROL_CATALOG.length,
    );
  });
});
