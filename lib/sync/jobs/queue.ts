/**
 * The sync job queue: pg-boss on the same Postgres as the data, so any number of worker processes on any number of
 * machines share the work, and a job is handed to exactly one of them (SELECT … FOR UPDATE SKIP LOCKED).
 *   - "custody-sync-account": one job per account and run (the body is syncAccount). Retried when a worker dies
 *     mid-run (the job expires and is picked up again) or the job body throws.
 *   - "custody-sync-schedule": the organisation's schedule (cron), which enqueues a run over every account.
 */
import pg from "pg";
import PgBoss from "pg-boss";
import { processEnv, type EnvSource } from "@/lib/env";
import { workerSettingsFrom } from "@/lib/sync/jobs/worker-settings";

export const SYNC_ACCOUNT_QUEUE = "custody-sync-account";
export const SYNC_SCHEDULE_QUEUE = "custody-sync-schedule";

export interface SyncAccountJobData {
  syncRunId: string;
  accountId: string;
}

export interface QueueOptions {
  /** How long one account may run before its job is considered lost and retried (default: the environment's). */
  jobTimeoutSeconds?: number;
  /** Retries after the first attempt (default 2). */
  retryLimit?: number;
  /** Seconds before a failed or expired job is retried (default 30). */
  retryDelaySeconds?: number;
  /** Run pg-boss's maintenance and cron clock in this process (workers: yes; the web app: no). */
  supervise?: boolean;
}

export async function startQueue(databaseUrl: string, options: QueueOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    application_name: "custody-queue",
    max: 4,
    supervise: options.supervise ?? false,
    schedule: options.supervise ?? false,
    // Small and quiet: job rows are kept a week for the "no work done twice" post-mortems, then dropped.
    deleteAfterDays: 7,
  });
  boss.on("error", (error) => {
    // pg-boss reports background errors here (e.g. a dropped connection during maintenance); they must not crash
    // the process, and the next poll recovers. 57P01 (admin_shutdown) is the database itself stopping — expected
    // when Ctrl-C reaches the embedded Postgres together with everything else — so it is not reported as an error.
    if ((error as { code?: string }).code === "57P01") return;
    console.error(`[custody queue] ${error.message}`);
  });
  await boss.start();
  await withQueueSetupLock(databaseUrl, () => ensureQueues(boss, options));
  return boss;
}

/** Advisory-lock key that serializes queue creation across processes; arbitrary but fixed. */
const QUEUE_SETUP_LOCK = 72_110_003;

/**
 * pg-boss creates each queue's partition of its job table; two processes creating the same queues at once (two
 * workers started together on a new database) deadlock on it (40P01: the full-scale benchmark's second worker died
 * of it). A session advisory lock on a connection of its own makes them take turns; the second finds the queues there.
 */
async function withQueueSetupLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "custody-queue-setup" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [QUEUE_SETUP_LOCK]);
    return await fn();
  } finally {
    // Closing the session releases the lock too; unlock first so a slow close does not hold the others back.
    await client.query("SELECT pg_advisory_unlock($1)", [QUEUE_SETUP_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/**
 * THE account queue's options: explicit options (tests) over the validated environment
 * (CUSTODY_SYNC_JOB_TIMEOUT_MINUTES). Every process that creates or updates the queue — web app, workers, CLI —
 * builds them here, so the last one to start can never reset the timeout to a default of its own.
 */
export function syncAccountQueueOptions(options: QueueOptions = {}, source: EnvSource = processEnv()) {
  return {
    name: SYNC_ACCOUNT_QUEUE,
    policy: "standard" as const,
    retryLimit: options.retryLimit ?? 2,
    retryDelay: options.retryDelaySeconds ?? 30,
    expireInSeconds: options.jobTimeoutSeconds ?? workerSettingsFrom(source).jobTimeoutSeconds,
  };
}

export async function ensureQueues(boss: PgBoss, options: QueueOptions = {}): Promise<void> {
  const account = syncAccountQueueOptions(options);
  // Called under withQueueSetupLock: create_queue also creates a partition, which deadlocks when run concurrently.
  await boss.createQueue(SYNC_ACCOUNT_QUEUE, account);
  await boss.updateQueue(SYNC_ACCOUNT_QUEUE, account);
  // "singleton": one scheduled run at a time however many workers hold the cron clock.
  await boss.createQueue(SYNC_SCHEDULE_QUEUE, { name: SYNC_SCHEDULE_QUEUE, policy: "singleton", retryLimit: 0 });
}
