/**
 * A worker killed mid-sync (SIGKILL: no cleanup of its own) must not block later syncs. Its jobs stayed "active" in
 * pg-boss and its accounts queued/running until the job timeout (2 h): Sync now answered "already syncing" and the
 * schedule queued nothing. The reaper (every worker, and enqueueSync itself) sees that the job's worker session is
 * gone and its progress silent, fails the job and shows the account as interrupted; the next sync queues it again.
 * Test timings: a 2 s grace instead of 60 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type PgBoss from "pg-boss";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { startQueue, SYNC_ACCOUNT_QUEUE, syncAccountQueueOptions } from "@/lib/sync/jobs/queue";
import { startSyncWorker, type SyncWorker } from "@/lib/sync/jobs/worker";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { scratchDb } from "../support/scratch-db";

const SEED = 7;
const ACCOUNTS = 2;
const estate = generateFixtureEstate({
  seed: SEED,
  accounts: ACCOUNTS,
  bucketsPerAccount: 4,
  regions: ["us-east-1"],
  scenario: "generic",
});
const GRACE_SECONDS = 2;

describe("a worker killed mid-sync", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let sender: PgBoss;
  let child: ChildProcess | null = null;
  let reaper: SyncWorker | null = null;

  beforeAll(async () => {
    db = await scratchDb("sync_interrupted");
    await ensureDefaultScheme(db.prisma);
    for (const a of estate.accounts) {
      await db.prisma.account.create({
        data: { id: a.accountId, name: a.name, ouPath: a.ouPath, roleArn: a.roleArn, externalId: a.externalId },
      });
    }
    sender = await startQueue(db.url, { retryLimit: 0 });
  });
  afterEach(async () => {
    child?.kill("SIGKILL");
    child = null;
    await reaper?.stop();
    reaper = null;
  });
  afterAll(async () => {
    await sender?.stop({ graceful: false, wait: true });
    await db.drop();
  });

  /** Start a sync of every account in a worker process, wait until both accounts are running, then SIGKILL it. */
  async function syncAndKillWorker(retryLimit = 0): Promise<string> {
    // node itself, with tsx as a loader: the tsx CLI would run the worker in a grandchild that SIGKILL does not reach.
    child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "tests/support/slow-sync-worker.ts"],
      {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          FIXTURE_SEED: String(SEED),
          FIXTURE_ACCOUNTS: String(ACCOUNTS),
          RETRY_LIMIT: String(retryLimit),
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    // The queue's retry limit is copied into each job when it is inserted.
    await sender.updateQueue(SYNC_ACCOUNT_QUEUE, syncAccountQueueOptions({ retryLimit, retryDelaySeconds: 1 }));
    const started = await enqueueSync(db.prisma, sender, { trigger: "manual", interruptedAfterSeconds: GRACE_SECONDS });
    expect(started.queued).toBe(ACCOUNTS);
    for (const t0 = Date.now(); ;) {
      const running = await db.prisma.syncRunAccount.count({
        where: { syncRunId: started.syncRunId!, status: "running" },
      });
      if (running === ACCOUNTS) break;
      if (Date.now() - t0 > 45_000) throw new Error("the worker process did not start the accounts within 45 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    child = null;
    // What the incident showed: jobs active, accounts running — and Sync now would say "already syncing".
    const active = await db.prisma.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'active'`;
    expect(active[0]!.n).toBe(ACCOUNTS);
    return started.syncRunId!;
  }

  /** Drop a queued run nobody will work on, so the next test can queue the accounts again. */
  const abandon = async (syncRunId: string) => {
    await db.prisma.$executeRaw`UPDATE pgboss.job SET state = 'cancelled' WHERE state IN ('created', 'retry')`;
    await db.prisma.syncRunAccount.updateMany({ where: { syncRunId }, data: { status: "failed" } });
  };

  const accountsOf = (syncRunId: string) =>
    db.prisma.syncRunAccount.findMany({ where: { syncRunId }, orderBy: { accountId: "asc" } });

  it("is reaped by a live worker within the grace period: accounts interrupted, run finished, next sync queues them", async () => {
    const runId = await syncAndKillWorker();
    const killedAt = Date.now();
    reaper = await startSyncWorker({
      client: db.prisma,
      databaseUrl: db.url,
      connectorFactory: () => {
        throw new Error("this worker only reaps");
      },
      concurrency: 0,
      schedule: false,
      retryLimit: 0,
      reapIntervalMs: 500,
      interruptedAfterSeconds: GRACE_SECONDS,
    });
    for (;;) {
      const rows = await accountsOf(runId);
      const active = await db.prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'active'`;
      if (rows.every((r) => r.status === "failed") && active[0]!.n === 0) break;
      if (Date.now() - killedAt > 30_000)
        throw new Error(`not reaped within 30 s: ${JSON.stringify(rows.map((r) => r.status))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const row of await accountsOf(runId))
      expect(row.error).toMatch(/^Interrupted: the worker running this account stopped/);
    const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "failed", accountsDone: ACCOUNTS, accountsFailed: ACCOUNTS });
    expect(run.finishedAt).not.toBeNull();
    const jobs = await db.prisma.$queryRaw<
      { state: string }[]
    >`SELECT state::text FROM pgboss.job WHERE state = 'active'`;
    expect(jobs).toEqual([]);

    const next = await enqueueSync(db.prisma, sender, { trigger: "schedule", interruptedAfterSeconds: GRACE_SECONDS });
    expect(next).toMatchObject({ queued: ACCOUNTS, alreadySyncing: 0 });
    await abandon(next.syncRunId!);
  });

  it("Sync now itself settles accounts whose worker is gone instead of answering 'already syncing'", async () => {
    const runId = await syncAndKillWorker();
    // Within the grace period the silent accounts still count as syncing …
    const early = await enqueueSync(db.prisma, sender, { trigger: "manual", interruptedAfterSeconds: 60 });
    expect(early).toMatchObject({ queued: 0, alreadySyncing: ACCOUNTS });
    await new Promise((r) => setTimeout(r, (GRACE_SECONDS + 1) * 1000));
    // … after it, enqueueSync reaps them first and queues them again.
    const next = await enqueueSync(db.prisma, sender, { trigger: "manual", interruptedAfterSeconds: GRACE_SECONDS });
    expect(next).toMatchObject({ queued: ACCOUNTS, alreadySyncing: 0 });
    expect(next.syncRunId).not.toBe(runId);
    for (const row of await accountsOf(runId))
      expect(row).toMatchObject({ status: "failed", error: expect.stringMatching(/^Interrupted/) });
    await abandon(next.syncRunId!);
  });

  it("with retries left, the interrupted job is retried through pg-boss and the account finishes in the same run", async () => {
    const runId = await syncAndKillWorker(1);
    const killedAt = Date.now();
    reaper = await startSyncWorker({
      client: db.prisma,
      databaseUrl: db.url,
      connectorFactory: () => createFixtureConnector(estate),
      concurrency: 2,
      schedule: false,
      retryLimit: 1,
      retryDelaySeconds: 1,
      pollingIntervalSeconds: 0.5,
      lockWaitMs: 50,
      reapIntervalMs: 500,
      interruptedAfterSeconds: GRACE_SECONDS,
      syncOptions: { regions: ["us-east-1"] },
    });
    for (;;) {
      const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.finishedAt) break;
      if (Date.now() - killedAt > 45_000)
        throw new Error(`the run did not finish: ${JSON.stringify(await accountsOf(runId))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const row of await accountsOf(runId))
      expect(row).toMatchObject({ status: "succeeded", attempts: 2, error: null });
    expect(await db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "succeeded",
      accountsDone: ACCOUNTS,
    });
  });
});
