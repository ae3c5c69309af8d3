/**
 * The body of one "sync this account in this run" job. Safe to run more than once for the same job (a retry after a
 * crash, a duplicate delivery): the SyncRunAccount row is the claim, and only the attempt that moves it from
 * running to a final state counts the account as done in its run. syncAccount keeps its failure isolation; the
 * data of an interrupted attempt is never half-visible because every load step is its own transaction and buckets
 * are marked gone only by a complete listing.
 */
import type { AwsConnector } from "@/lib/sources/shared/connector";
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import { logger } from "@/lib/logger";
import { evaluateAccountControlsAfterSync } from "@/lib/evaluation/evaluate-account-controls";
import { snapshotCoverage } from "@/lib/sync/coverage-snapshot";
import { snapshotPosture } from "@/lib/sync/posture-history";
import { acquireSyncLocks, syncJobSessionName } from "@/lib/sync/jobs/concurrency-locks";
import type { SyncAccountJobData } from "@/lib/sync/jobs/queue";
import { deliverRunNotifications } from "@/lib/sync/notifications/deliver-webhooks";
import { diffPosture, type BucketRef } from "@/lib/sync/notifications/notification-diff";
import { readPostureSnapshot } from "@/lib/sync/notifications/posture-snapshot";
import {
  syncAccount,
  type AccountSyncOutcome,
  type SyncAccountOptions,
  type SyncAccountProgress,
} from "@/lib/sync/sync-account";

export interface SyncJobDeps {
  client: Db;
  databaseUrl: string;
  /** A fresh connector per job, so the job's call count is its own. */
  connectorFactory: () => AwsConnector;
  /** Accounts syncing at once across every worker process. */
  globalConcurrency: number;
  syncOptions?: Omit<SyncAccountOptions, "onProgress">;
  /** How often progress is written to the database (default 500 ms). */
  progressIntervalMs?: number;
  lockWaitMs?: number;
  stopping?: { aborted: boolean };
  webhookTimeoutMs?: number;
}

export type SyncJobResult = { skipped: true; reason: string } | { skipped: false; outcome: AccountSyncOutcome };

const HEARTBEAT_MS = 10_000;
const PROGRESS_SQL = `UPDATE sync_run_account
    SET regions_total = COALESCE($3, regions_total), regions_done = COALESCE($4, regions_done),
        buckets_total = COALESCE($5, buckets_total), buckets_read = COALESCE($6, buckets_read),
        errors = COALESCE($7, errors), updated_at = $8
  WHERE sync_run_id = $1 AND account_id = $2`;

/**
 * The claim, in one statement: only a queued or interrupted (running) row may start, a finished one is never redone.
 * With it, an earlier attempt's tasks left "running" (its worker died mid-run) are closed honestly, the run is marked
 * running, and the account's connection details are read. No row: another attempt finished it; a row without an id:
 * the account is gone. Plain SQL on a bulk connection, like everything an account job writes per account
 * (docs/performance.md, benchmark 1: through Prisma each of these statements cost ≈ 1 ms of worker CPU).
 * Columns with @updatedAt in the Prisma schema get the time Prisma would have written.
 */
const CLAIM_SQL = `WITH claim AS (
    UPDATE sync_run_account SET status = 'running', attempts = attempts + 1, started_at = $3, error = NULL, updated_at = $3
     WHERE sync_run_id = $1 AND account_id = $2 AND status IN ('queued', 'running')
    RETURNING account_id),
  interrupted AS (
    UPDATE sync_task SET status = 'failed', finished_at = $3, error_code = 'Interrupted',
           error_message = 'The worker stopped before this task finished; the account was synced again.'
     WHERE sync_run_id = $1 AND account_id = $2 AND status = 'running' AND EXISTS (SELECT 1 FROM claim)),
  run AS (
    UPDATE sync_run SET status = 'running', started_at = $3
     WHERE id = $1 AND status = 'queued' AND EXISTS (SELECT 1 FROM claim))
  SELECT a.id, a.role_arn, a.external_id, a.enabled FROM claim LEFT JOIN account a ON a.id = claim.account_id`;

/** The account's final state (only from queued or running: once), counted in its run in the same statement. */
const FINISH_ACCOUNT_SQL = `WITH done AS (
    UPDATE sync_run_account
       SET status = $3, finished_at = $4, calls = calls + $5, error = $6,
           notifications = CASE WHEN $7::boolean THEN $8::jsonb ELSE notifications END, updated_at = $4
     WHERE sync_run_id = $1 AND account_id = $2 AND status IN ('queued', 'running')
    RETURNING 1)
  UPDATE sync_run SET accounts_done = accounts_done + 1, calls = calls + $5, accounts_failed = accounts_failed + $9
   WHERE id = $1 AND EXISTS (SELECT 1 FROM done)
  RETURNING accounts_done, accounts_total`;

const sumCalls = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export async function runSyncAccountJob(deps: SyncJobDeps, data: SyncAccountJobData): Promise<SyncJobResult> {
  const { client } = deps;
  const pool = bulkPoolFor(client);
  const [row] = (
    await pool.query<{ status: string; job_id: string | null }>({
      name: "sync-job-row",
      text: "SELECT status, job_id FROM sync_run_account WHERE sync_run_id = $1 AND account_id = $2",
      values: [data.syncRunId, data.accountId],
    })
  ).rows;
  if (!row) return { skipped: true, reason: "no such run/account (run deleted?)" };
  if (row.status !== "queued" && row.status !== "running") return { skipped: true, reason: `already ${row.status}` };

  const locks = await acquireSyncLocks(deps.databaseUrl, {
    accountId: data.accountId,
    globalLimit: deps.globalConcurrency,
    waitMs: deps.lockWaitMs,
    signal: deps.stopping,
    sessionName: row.job_id ? syncJobSessionName(row.job_id) : undefined,
  });
  try {
    const [claimed] = (
      await pool.query<{ id: string | null; role_arn: string; external_id: string; enabled: boolean }>({
        name: "sync-job-claim",
        text: CLAIM_SQL,
        values: [data.syncRunId, data.accountId, new Date().toISOString()],
      })
    ).rows;
    if (!claimed) return { skipped: true, reason: "finished by another attempt" };
    const account = claimed.id
      ? { id: claimed.id, roleArn: claimed.role_arn, externalId: claimed.external_id, enabled: claimed.enabled }
      : null;
    if (!account || !account.enabled) {
      const outcome: AccountSyncOutcome = {
        accountId: data.accountId,
        status: "failed",
        error: "The account was removed or disabled before its sync started.",
        buckets: 0,
      };
      await finishAccount(deps, data, outcome, 0, null);
      return { skipped: false, outcome };
    }

    const before = await readPostureSnapshot(client, account.id);
    const connector = deps.connectorFactory();
    const progress: SyncAccountProgress = {};
    let dirty = false;
    let lastWrite = Date.now();
    const flush = async () => {
      // Without news, still a heartbeat every 10 s: the reaper takes a long-silent row for a dead worker.
      if (!dirty && Date.now() - lastWrite < HEARTBEAT_MS) return;
      dirty = false;
      lastWrite = Date.now();
      // Plain SQL on a bulk connection: this runs every half second per running job, and through Prisma each
      // update cost ≈ 1 ms of worker CPU (docs/performance.md, benchmark 1). A field not reported yet keeps its value.
      await pool
        .query({
          name: "sync-progress",
          text: PROGRESS_SQL,
          values: [
            data.syncRunId,
            data.accountId,
            progress.regionsTotal ?? null,
            progress.regionsDone ?? null,
            progress.bucketsTotal ?? null,
            progress.bucketsRead ?? null,
            progress.errors ?? null,
            new Date().toISOString(),
          ],
        })
        .catch(() => {});
    };
    const timer = setInterval(() => void flush(), deps.progressIntervalMs ?? 500);
    let outcome: AccountSyncOutcome;
    try {
      outcome = await syncAccount(
        client,
        connector,
        { syncRunId: data.syncRunId, account },
        {
          ...deps.syncOptions,
          onProgress: (p) => {
            Object.assign(progress, Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));
            dirty = true;
          },
        },
      );
    } catch (error) {
      // A database hiccup or a bug fails this account only, with the reason shown.
      outcome = {
        accountId: account.id,
        status: "failed",
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        buckets: 0,
      };
    } finally {
      clearInterval(timer);
    }
    await flush();

    let events: ReturnType<typeof diffPosture> = [];
    if (outcome.status !== "failed") {
      const after = await readPostureSnapshot(client, account.id);
      events = diffPosture(
        before,
        after,
        (id): BucketRef => after.names.get(id) ?? { id, name: `#${id}`, accountId: account.id },
      );
    }
    await finishAccount(deps, data, outcome, sumCalls(connector.callCounts()), events);
    return { skipped: false, outcome };
  } finally {
    await locks.release();
  }
}

/**
 * Move the account to its final state (once), count it in its run, and finish the run when it was the last one.
 * Exported for the reaper, which finishes accounts whose job gave up.
 */
export async function finishAccount(
  deps: Pick<SyncJobDeps, "client" | "webhookTimeoutMs">,
  data: SyncAccountJobData,
  outcome: AccountSyncOutcome,
  calls: number,
  events: unknown[] | null,
): Promise<void> {
  const { client } = deps;
  const [run] = (
    await bulkPoolFor(client).query<{ accounts_done: number; accounts_total: number }>({
      name: "sync-job-finish",
      text: FINISH_ACCOUNT_SQL,
      values: [
        data.syncRunId,
        data.accountId,
        outcome.status,
        new Date().toISOString(),
        calls,
        outcome.error,
        events !== null,
        events === null ? null : JSON.stringify(events),
        outcome.status === "failed" ? 1 : 0,
      ],
    })
  ).rows;
  if (!run) return; // already final (another attempt, or the reaper), or the run was deleted
  if (run.accounts_done >= run.accounts_total) await finishRun(deps, data.syncRunId);
}

async function finishRun(deps: Pick<SyncJobDeps, "client" | "webhookTimeoutMs">, syncRunId: string): Promise<void> {
  const { client } = deps;
  const counts = await client.syncRunAccount.groupBy({ by: ["status"], where: { syncRunId }, _count: { _all: true } });
  const n = (s: string) => counts.find((c) => c.status === s)?._count._all ?? 0;
  const total = counts.reduce((a, c) => a + c._count._all, 0);
  const status =
    total > 0 && n("failed") === total ? "failed" : n("failed") + n("partial") > 0 ? "partial" : "succeeded";
  const finished = await client.syncRun.updateMany({
    where: { id: syncRunId, finishedAt: null },
    data: {
      status,
      finishedAt: new Date(),
      error: n("failed") ? `${n("failed")} of ${total} account(s) failed` : null,
    },
  });
  if (finished.count === 0) return; // another worker finished it
  // After-run work must never turn a finished sync into a failed job.
  // Org-wide step: an organisation trail's reads come from the management account, which may sync after a member.
  const synced = await client.syncRunAccount
    .findMany({ where: { syncRunId }, select: { accountId: true } })
    .catch((error: unknown) => {
      logger.error({ err: error, syncRunId }, "reading the run's accounts for account controls failed");
      return [];
    });
  await evaluateAccountControlsAfterSync(
    client,
    syncRunId,
    synced.map((s) => s.accountId),
  );
  await snapshotCoverage(client, new Date()).catch((error: unknown) =>
    logger.error({ err: error, syncRunId }, "coverage snapshot after sync failed"),
  );
  await snapshotPosture(client, syncRunId, new Date()).catch((error: unknown) =>
    logger.error({ err: error, syncRunId }, "posture snapshot after sync failed"),
  );
  await deliverRunNotifications(client, syncRunId, { timeoutMs: deps.webhookTimeoutMs }).catch((error: unknown) =>
    logger.error({ err: error, syncRunId }, "webhook notifications after sync failed"),
  );
}
