/**
 * The sync job queue end to end: a fixture estate with latency, throttling and a failing account, synced through
 * the real pg-boss queue by two workers. Exact row counts from the generator, no work done twice, the failing
 * account failed with its reason and its earlier data kept, an interrupted attempt resumed, and webhooks posted.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateFixtureEstate, type FixtureOptions } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { SOURCES } from "@/lib/sources/registry";
import { startQueue } from "@/lib/sync/jobs/queue";
import { runSyncAccountJob } from "@/lib/sync/jobs/sync-account-job";
import { startSyncWorker, type SyncWorker } from "@/lib/sync/jobs/worker";
import { WEBHOOK_SETTINGS_KEY } from "@/lib/sync/notifications/deliver-webhooks";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { scratchDb } from "../support/scratch-db";

const base: FixtureOptions = {
  seed: 99,
  accounts: 6,
  bucketsPerAccount: 8,
  regions: ["us-east-1", "eu-west-1"],
  scenario: "generic",
};
const healthy = generateFixtureEstate(base);
const failingId = healthy.accounts[2]!.accountId;
const broken = generateFixtureEstate({ ...base, failingAccountIds: [failingId] });
const totalBuckets = healthy.accounts.reduce((n, a) => n + healthy.bucketsOf(a.accountId).length, 0);

describe("sync through the job queue with two workers", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let sender: PgBoss;
  const workers: SyncWorker[] = [];
  const handled: string[] = [];
  let estate = healthy;
  const received: { body: { text: string; events: { kind: string; bucket: string }[] } }[] = [];
  let server: http.Server;
  let webhookUrl = "";

  const waitForRun = async (syncRunId: string, timeoutMs = 45_000) => {
    const start = Date.now();
    for (;;) {
      const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: syncRunId } });
      if (run.finishedAt) return run;
      if (Date.now() - start > timeoutMs) throw new Error(`run ${syncRunId} did not finish: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    // The webhook receiver below is on this machine: internal targets must be allowed explicitly.
    vi.stubEnv("CUSTODY_WEBHOOK_ALLOW_PRIVATE", "true");
    db = await scratchDb("sync-queue");
    await ensureDefaultScheme(db.prisma);
    for (const a of healthy.accounts) {
      await db.prisma.account.create({
        data: { id: a.accountId, name: a.name, ouPath: a.ouPath, roleArn: a.roleArn, externalId: a.externalId },
      });
    }
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ body: JSON.parse(body) as (typeof received)[number]["body"] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    sender = await startQueue(db.url);
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startSyncWorker({
          client: db.prisma,
          databaseUrl: db.url,
          // Latency and a tight throttle: the SDK-like retry in the fixture must absorb it.
          connectorFactory: () =>
            createFixtureConnector(estate, {
              latencyMs: 2,
              throttle: { ratePerSecondPerAccountApi: 40 },
              maxAttempts: 8,
              retryBaseDelayMs: 5,
            }),
          concurrency: 2,
          globalConcurrency: 3,
          pollingIntervalSeconds: 0.5,
          lockWaitMs: 50,
          progressIntervalMs: 100,
          schedule: false,
          syncOptions: { regions: base.regions },
          retryDelaySeconds: 1,
          log: (line) => handled.push(`w${i}: ${line}`),
        }),
      );
    }
  });

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await sender?.stop({ graceful: false, wait: true });
    server?.close();
    await db.drop();
    vi.unstubAllEnvs();
  });

  it("syncs every account once, with exact row counts and no duplicates", async () => {
    const started = await enqueueSync(db.prisma, sender, { trigger: "cli" });
    expect(started.queued).toBe(healthy.accounts.length);
    const run = await waitForRun(started.syncRunId!);
    expect(run.status).toBe("succeeded");
    expect(run.accountsDone).toBe(healthy.accounts.length);
    expect(run.accountsFailed).toBe(0);
    expect(run.calls).toBeGreaterThan(0);

    expect(await db.prisma.bucket.count()).toBe(totalBuckets);
    expect(await db.prisma.bucketState.count()).toBe(totalBuckets);
    const perAccount = await db.prisma.syncRunAccount.findMany({ where: { syncRunId: run.id } });
    expect(perAccount).toHaveLength(healthy.accounts.length);
    for (const a of perAccount) {
      expect(a.status).toBe("succeeded");
      expect(a.attempts).toBe(1);
      expect(a.bucketsRead).toBe(healthy.bucketsOf(a.accountId).length);
      expect(a.regionsDone).toBe(base.regions!.length);
    }
    // Exactly one task per account × region × collector: no job ran twice.
    const tasks = await db.prisma.syncTask.groupBy({
      by: ["accountId", "region", "collector"],
      where: { syncRunId: run.id },
      _count: { _all: true },
    });
    expect(tasks.every((t) => t._count._all === 1)).toBe(true);
    // One task per account-wide step, and one per regional step and region, as the registry lists them.
    const steps = SOURCES.flatMap((source) => (source.sync ? [source.sync.scope] : []));
    const perAccountTasks =
      steps.filter((scope) => scope === "account").length +
      steps.filter((scope) => scope === "region").length * base.regions!.length;
    expect(tasks).toHaveLength(healthy.accounts.length * perAccountTasks);
    // Both workers took part.
    expect(new Set(handled.filter((l) => /succeeded/.test(l)).map((l) => l.slice(0, 2)))).toEqual(
      new Set(["w0", "w1"]),
    );
  });

  it("a second sync-now while a run is queued does not queue the same accounts again", async () => {
    const first = await enqueueSync(db.prisma, sender, {
      trigger: "manual",
      accountIds: [healthy.accounts[0]!.accountId],
    });
    const second = await enqueueSync(db.prisma, sender, {
      trigger: "manual",
      accountIds: [healthy.accounts[0]!.accountId],
    });
    expect(first.queued).toBe(1);
    expect(second).toMatchObject({ queued: 0, alreadySyncing: 1, syncRunId: first.syncRunId });
    await waitForRun(first.syncRunId!);
  });

  it("a failing account is failed with its reason, keeps its earlier data, and webhooks hear what got worse", async () => {
    await db.prisma.appSetting.create({
      data: { key: WEBHOOK_SETTINGS_KEY, value: { urls: [webhookUrl, "https://127.0.0.1:1/unreachable"] } },
    });
    // Make one healthy account's bucket look better than it is, so the sync finds it newly failing.
    const victim = await db.prisma.controlResult.findFirstOrThrow({
      where: { required: true, status: "fail", bucket: { accountId: healthy.accounts[0]!.accountId } },
      select: { bucketId: true, controlId: true, bucket: { select: { name: true } } },
    });
    await db.prisma.controlResult.updateMany({
      where: { bucketId: victim.bucketId, status: "fail" },
      data: { status: "pass" },
    });
    // As an earlier evaluation that found it passing would have left it: its verdict digest is not the current one
    // (an evaluation writes a bucket's verdict only when the digest of what it would write differs).
    await db.prisma.bucket.update({ where: { id: victim.bucketId }, data: { verdictDigest: null } });

    estate = broken;
    const failingBuckets = await db.prisma.bucket.count({ where: { accountId: failingId } });
    expect(failingBuckets).toBe(healthy.bucketsOf(failingId).length);
    const started = await enqueueSync(db.prisma, sender, { trigger: "manual" });
    const run = await waitForRun(started.syncRunId!);
    expect(run.status).toBe("partial");
    expect(run.accountsFailed).toBe(1);

    const failed = await db.prisma.syncRunAccount.findUniqueOrThrow({
      where: { syncRunId_accountId: { syncRunId: run.id, accountId: failingId } },
    });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/AccessDenied: Custody could not assume/);
    const account = await db.prisma.account.findUniqueOrThrow({ where: { id: failingId } });
    expect(account.lastSyncStatus).toBe("failed");
    expect(account.lastSuccessAt).not.toBeNull();
    // Its earlier data is kept and still current.
    expect(await db.prisma.bucket.count({ where: { accountId: failingId, goneAt: null } })).toBe(failingBuckets);
    expect(await db.prisma.bucket.count({ where: { goneAt: null } })).toBe(totalBuckets);

    // Webhooks go out after the run is marked finished (a slow endpoint must not hold the run open): wait for both
    // deliveries to be recorded.
    for (const start = Date.now(); (await db.prisma.webhookDelivery.count({ where: { syncRunId: run.id } })) < 2;) {
      if (Date.now() - start > 20_000) throw new Error("the webhook deliveries were not recorded within 20 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(received).toHaveLength(1);
    expect(received[0]!.body.text).toMatch(/newly fail a required control/);
    expect(received[0]!.body.events.map((e) => e.bucket)).toContain(victim.bucket.name);
    const deliveries = await db.prisma.webhookDelivery.findMany({
      where: { syncRunId: run.id },
      orderBy: { id: "asc" },
    });
    expect(deliveries.map((d) => d.outcome)).toEqual(["delivered", "failed"]);
    expect(deliveries[1]!.error).toBeTruthy();
  });

  it("an attempt interrupted mid-run is resumed: its stale tasks are closed and the account finishes once", async () => {
    estate = healthy;
    const accountId = healthy.accounts[1]!.accountId;
    // What a killed worker leaves behind: the account claimed (running) and a task that never finished.
    const run = await db.prisma.syncRun.create({
      data: { trigger: "manual", status: "running", accountsTotal: 1, startedAt: new Date() },
    });
    await db.prisma.syncRunAccount.create({ data: { syncRunId: run.id, accountId, status: "running", attempts: 1 } });
    await db.prisma.syncTask.create({
      data: {
        syncRunId: run.id,
        accountId,
        region: "global",
        collector: "s3",
        status: "running",
        startedAt: new Date(),
      },
    });

    const deps = {
      client: db.prisma,
      databaseUrl: db.url,
      connectorFactory: () => createFixtureConnector(healthy),
      globalConcurrency: 3,
      lockWaitMs: 50,
      syncOptions: { regions: base.regions },
    };
    const retry = await runSyncAccountJob(deps, { syncRunId: run.id, accountId });
    expect(retry.skipped).toBe(false);
    const again = await runSyncAccountJob(deps, { syncRunId: run.id, accountId });
    expect(again).toEqual({ skipped: true, reason: "already succeeded" });

    const row = await db.prisma.syncRunAccount.findUniqueOrThrow({
      where: { syncRunId_accountId: { syncRunId: run.id, accountId } },
    });
    expect(row).toMatchObject({ status: "succeeded", attempts: 2 });
    const interrupted = await db.prisma.syncTask.findMany({ where: { syncRunId: run.id, errorCode: "Interrupted" } });
    expect(interrupted).toHaveLength(1);
    const finished = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(finished).toMatchObject({ status: "succeeded", accountsDone: 1 });
    expect(await db.prisma.bucket.count({ where: { goneAt: null } })).toBe(totalBuckets);
  });
});
