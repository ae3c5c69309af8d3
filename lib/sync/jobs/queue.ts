/**
 * The sync job queue: pg-boss on the same Postgres as the data, so any number of worker processes on any number of
 * machines share the work, and a job is handed to exactly one of them (SELECT … FOR UPDATE SKIP LOCKED).
 *   - "custody-sync-account": one job per account and run (the body is syncAccount). Retried when a worker dies
 *     mid-run (the job expires and is picked up again) or the job body throws.
 *   - "custody-sync-schedule": the organisation's schedule (cron), which enqueues a run over every account.
 */
import PgBoss from "pg-boss";

export const SYNC_ACCOUNT_QUEUE = "custody-sync-account";
export const SYNC_SCHEDULE_QUEUE = "custody-sync-schedule";

export interface SyncAccountJobData {
  syncRunId: string;
  accountId: string;
}

export interface QueueOptions {
  /** How long one account may run before its job is considered lost and retried (default 2 h). */
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
  await ensureQueues(boss, options);
  return boss;
}

export async function ensureQueues(boss: PgBoss, options: QueueOptions = {}): Promise<void> {
  const account = {
    name: SYNC_ACCOUNT_QUEUE,
    policy: "standard" as const,
    retryLimit: options.retryLimit ?? 2,
    retryDelay: options.retryDelaySeconds ?? 30,
    expireInSeconds: options.jobTimeoutSeconds ?? 2 * 3600,
  };
  // create_queue is INSERT … ON CONFLICT DO NOTHING: safe when several workers start at once.
  await boss.createQueue(SYNC_ACCOUNT_QUEUE, account);
  await boss.updateQueue(SYNC_ACCOUNT_QUEUE, account);
  // "singleton": one scheduled run at a time however many workers hold the cron clock.
  await boss.createQueue(SYNC_SCHEDULE_QUEUE, { name: SYNC_SCHEDULE_QUEUE, policy: "singleton", retryLimit: 0 });
}
