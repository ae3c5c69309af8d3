/**
 * A sync worker: takes account jobs from the queue (any number of these run against one database, in `npm start`
 * and in `npm run worker` processes), keeps the organisation's schedule, reaps accounts whose job gave up, and
 * expires waivers past their expiry (the workers that keep the schedule).
 */
import { CallSemaphore, withCallLimit } from "@/lib/sources/shared/call-limit";
import type PgBoss from "pg-boss";
import type { AwsConnector } from "@/lib/sources/shared/connector";
import type { Db } from "@/lib/db/prisma";
import { logger } from "@/lib/logger";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import {
  startQueue,
  SYNC_ACCOUNT_QUEUE,
  SYNC_SCHEDULE_QUEUE,
  type QueueOptions,
  type SyncAccountJobData,
} from "@/lib/sync/jobs/queue";
import { expireDueWaivers } from "@/lib/sync/jobs/expire-waivers";
import { reapInterruptedJobs } from "@/lib/sync/jobs/reap-interrupted";
import { foldTallies } from "@/lib/db/tallies";
import { finishAccount, runSyncAccountJob, type SyncJobDeps } from "@/lib/sync/jobs/sync-account-job";
import { runEventConsumer } from "@/lib/events/consume-events";
import type { EventsQueue } from "@/lib/sources/events-queue/sqs-queue";
import { DEFAULT_SYNC_SCHEDULE, parseSchedule, SYNC_SCHEDULE_KEY } from "@/lib/sync/sync-schedule";

export interface SyncWorkerOptions extends QueueOptions {
  client: Db;
  databaseUrl: string;
  connectorFactory: () => AwsConnector;
  /** AWS calls in flight at once across all account jobs of this process (default 256). */
  maxCallsInFlight?: number;
  /** Account jobs this process runs at once (default 4; 0 = only enqueue and keep the schedule). */
  concurrency?: number;
  /** Account syncs at once across all workers (default 8). */
  globalConcurrency?: number;
  /** How often an idle worker asks for work (pg-boss minimum 0.5 s; default 2 s). */
  pollingIntervalSeconds?: number;
  /** Keep the schedule (cron) in this worker (default true). */
  schedule?: boolean;
  syncOptions?: SyncJobDeps["syncOptions"];
  lockWaitMs?: number;
  progressIntervalMs?: number;
  /** The hub's bucket-change queue: when set, this worker also consumes it (lib/events). */
  events?: { queue: EventsQueue; windowMs: number };
  webhookTimeoutMs?: number;
  /** How often to look for accounts whose job failed for good or whose worker died (default 30 s). */
  reapIntervalMs?: number;
  /** How often to fold the counters' deltas (lib/db/tallies.ts; default 5 s). */
  tallyFoldIntervalMs?: number;
  /** Silence after which a job without a live worker session counts as interrupted (default 60 s). */
  interruptedAfterSeconds?: number;
  log?: (line: string) => void;
}

export interface SyncWorker {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startSyncWorker(options: SyncWorkerOptions): Promise<SyncWorker> {
  const log = options.log ?? ((line: string) => logger.info(line));
  const supervise = options.supervise ?? true;
  const boss = await startQueue(options.databaseUrl, { ...options, supervise });
  const stopping = { aborted: false };
  // One cap on AWS calls in flight for everything this worker syncs (see lib/sources/shared/call-limit.ts).
  const calls = new CallSemaphore(options.maxCallsInFlight ?? 256);
  const deps: SyncJobDeps = {
    client: options.client,
    databaseUrl: options.databaseUrl,
    connectorFactory: () => withCallLimit(options.connectorFactory(), calls),
    globalConcurrency: options.globalConcurrency ?? 8,
    syncOptions: options.syncOptions,
    lockWaitMs: options.lockWaitMs,
    progressIntervalMs: options.progressIntervalMs,
    stopping,
    webhookTimeoutMs: options.webhookTimeoutMs,
  };
  const workOptions = { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  // pg-boss 10 runs one batch at a time per work() registration: N registrations = N jobs in parallel here.
  for (let i = 0; i < Math.max(0, options.concurrency ?? 4); i++) {
    await boss.work<SyncAccountJobData>(SYNC_ACCOUNT_QUEUE, workOptions, async ([job]) => {
      if (!job) return;
      const result = await runSyncAccountJob(deps, job.data);
      if (result.skipped) log(`account ${job.data.accountId}: nothing to do (${result.reason})`);
      else
        log(
          `account ${job.data.accountId}: ${result.outcome.status}${result.outcome.error ? ` — ${result.outcome.error}` : ""}`,
        );
    });
  }

  if (options.schedule !== false) {
    await boss.work(SYNC_SCHEDULE_QUEUE, workOptions, async () => {
      const r = await enqueueSync(options.client, boss, {
        trigger: "schedule",
        interruptedAfterSeconds: options.interruptedAfterSeconds,
      });
      log(
        `scheduled sync: ${r.queued} account(s) queued${r.alreadySyncing ? `, ${r.alreadySyncing} already syncing` : ""}`,
      );
    });
  }

  let appliedCron: string | null | undefined;
  const applySchedule = async () => {
    if (options.schedule === false) return;
    const row = await options.client.appSetting.findUnique({
      where: { key: SYNC_SCHEDULE_KEY },
      select: { value: true },
    });
    const text =
      typeof (row?.value as { expression?: unknown } | null)?.expression === "string"
        ? (row!.value as { expression: string }).expression
        : DEFAULT_SYNC_SCHEDULE;
    const parsed = parseSchedule(text);
    const cron = parsed.ok ? parsed.cron : (parseSchedule(DEFAULT_SYNC_SCHEDULE) as { cron: string }).cron;
    if (cron === appliedCron) return;
    if (cron) await boss.schedule(SYNC_SCHEDULE_QUEUE, cron, {}, { tz: "UTC" });
    else await boss.unschedule(SYNC_SCHEDULE_QUEUE);
    appliedCron = cron;
  };

  // Accounts whose job failed for good (every retry died, e.g. the worker was killed each time) are shown as
  // failed with the reason, so their run finishes and the last complete data stays what is shown.
  const reap = async () => {
    const interrupted = await reapInterruptedJobs(options.client, boss, {
      graceSeconds: options.interruptedAfterSeconds,
      webhookTimeoutMs: options.webhookTimeoutMs,
    });
    if (interrupted.failed + interrupted.retried > 0) {
      log(
        `interrupted account job(s) whose worker is gone: ${interrupted.retried} retried, ${interrupted.failed} failed`,
      );
    }
    const stuck = await options.client.$queryRaw<{ sync_run_id: string; account_id: string; retry_count: number }[]>`
      SELECT sra.sync_run_id::text AS sync_run_id, sra.account_id, j.retry_count
        FROM sync_run_account sra JOIN pgboss.job j ON j.id::text = sra.job_id AND j.name = ${SYNC_ACCOUNT_QUEUE}
       WHERE sra.status IN ('queued', 'running') AND j.state IN ('failed', 'cancelled')`;
    for (const s of stuck) {
      await finishAccount(
        deps,
        { syncRunId: s.sync_run_id, accountId: s.account_id },
        {
          accountId: s.account_id,
          status: "failed",
          error: `The sync job stopped ${s.retry_count + 1} time(s) without finishing (worker crashed or timed out); the last complete data is still shown.`,
          buckets: 0,
        },
        0,
        null,
      );
    }
  };

  let busy = false;
  const background = async () => {
    if (busy) return; // never two rounds at once: they would settle the same account twice, differently
    busy = true;
    try {
      await applySchedule();
      await reap();
      if (options.schedule !== false) {
        const expired = await expireDueWaivers(options.client);
        if (expired > 0) log(`${expired} waiver(s) reached their expiry: marked expired, buckets re-evaluated`);
      }
    } catch (error) {
      logger.warn({ err: error }, "sync worker background check failed");
    } finally {
      busy = false;
    }
  };
  await background();
  const timer = setInterval(() => void background(), options.reapIntervalMs ?? 30_000);
  // Counts stay exact without it (a count sums counters and deltas); folding keeps them to a few rows per account
  // after any write — syncs, evaluations, a classification set by hand — whoever made it.
  const folding = setInterval(
    () =>
      void foldTallies(options.client).catch((error: unknown) =>
        logger.warn({ err: error }, "folding the counters' deltas failed"),
      ),
    options.tallyFoldIntervalMs ?? 5_000,
  );

  // Bucket-change events: one consumer loop per worker process; SQS shares the messages among all of them.
  const eventsStop = new AbortController();
  const consuming = options.events
    ? runEventConsumer(
        {
          db: options.client,
          queue: options.events.queue,
          connector: deps.connectorFactory(),
          databaseUrl: options.databaseUrl,
          windowMs: options.events.windowMs,
          signal: eventsStop.signal,
        },
        (round) => log(`bucket-change events: ${JSON.stringify(round)}`),
      )
    : Promise.resolve();

  return {
    boss,
    async stop() {
      stopping.aborted = true;
      eventsStop.abort();
      await consuming.catch(() => {});
      clearInterval(timer);
      clearInterval(folding);
      // Graceful: running jobs finish (up to 30 s); a job cut off is retried by another worker after it expires.
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
