/**
 * Accounts whose worker is gone. A worker killed mid-sync (SIGKILL, OOM, power loss) leaves its pg-boss job
 * "active" and its SyncRunAccount queued or running until the job expires — two hours by default — and meanwhile
 * every later sync (Sync now, the schedule) counts the account as already syncing.
 *
 * Liveness signal: while a worker handles an account job it keeps a Postgres session named after the job
 * (`syncJobSessionName`, the session that holds the account's advisory locks — see concurrency-locks.ts). Postgres
 * ends that session when the process dies, whoever killed it. A job is interrupted when it is active, no session
 * carries its name, and neither the job's start nor the account's progress row (heartbeat) moved for the grace
 * period. Its job is then failed through pg-boss (which retries it when retries remain) and the account says so.
 */
import type PgBoss from "pg-boss";
import type { Db } from "@/lib/db/prisma";
import { SYNC_ACCOUNT_QUEUE } from "@/lib/sync/jobs/queue";
import { finishAccount, type SyncJobDeps } from "@/lib/sync/jobs/sync-account-job";

/** Default grace: progress is written every 500 ms and a heartbeat every 10 s, so a minute of silence is death. */
export const INTERRUPTED_AFTER_SECONDS = 60;

export interface ReapResult {
  /** Jobs failed for good: their accounts are finished as failed ("interrupted"). */
  failed: number;
  /** Jobs pg-boss will run again (retries left): their accounts are queued again. */
  retried: number;
}

export async function reapInterruptedJobs(
  client: Db,
  boss: Pick<PgBoss, "fail">,
  options: { graceSeconds?: number } & Pick<SyncJobDeps, "webhookTimeoutMs"> = {},
): Promise<ReapResult> {
  const grace = options.graceSeconds ?? INTERRUPTED_AFTER_SECONDS;
  const stuck = await client.$queryRaw<
    { sync_run_id: string; account_id: string; job_id: string; will_retry: boolean }[]
  >`
    SELECT sra.sync_run_id::text AS sync_run_id, sra.account_id, sra.job_id, j.retry_count < j.retry_limit AS will_retry
      FROM sync_run_account sra
      JOIN pgboss.job j ON j.name = ${SYNC_ACCOUNT_QUEUE} AND j.id = sra.job_id::uuid
     WHERE sra.status IN ('queued', 'running')
       AND j.state = 'active'
       AND j.started_on < now() - make_interval(secs => ${grace})
       AND sra.updated_at < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${grace})
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = 'custody-job:' || sra.job_id)`;
  const result: ReapResult = { failed: 0, retried: 0 };
  const message = "Interrupted: the worker running this account stopped (killed or crashed) before it finished";
  for (const s of stuck) {
    const key = { syncRunId: s.sync_run_id, accountId: s.account_id };
    // The account first, then the job: a reaper looking at failed jobs (worker.ts) then finds the account settled.
    if (s.will_retry) {
      await client.syncRunAccount.updateMany({
        where: { ...key, status: { in: ["queued", "running"] } },
        data: { status: "queued", error: `${message}; it is retried shortly.` },
      });
      result.retried++;
    } else {
      await finishAccount(
        { client, webhookTimeoutMs: options.webhookTimeoutMs },
        key,
        {
          accountId: s.account_id,
          status: "failed",
          error: `${message}; the last complete data is still shown. The next sync reads it again.`,
          buckets: 0,
        },
        0,
        null,
      );
      result.failed++;
    }
    // pg-boss retries it when retries remain (after the queue's retry delay), else it stays failed.
    await boss.fail(SYNC_ACCOUNT_QUEUE, s.job_id, { message });
    // Tasks the dead attempt left running are closed now, so the account's page tells the truth at once.
    await client.syncTask.updateMany({
      where: { ...key, status: "running" },
      data: {
        status: "failed",
        finishedAt: new Date(),
        errorCode: "Interrupted",
        errorMessage: "The worker stopped before this task finished.",
      },
    });
  }
  return result;
}
