/**
 * One account's sync: assume its role, then run every registered source's step (lib/sources/registry.ts) — the
 * account-wide ones (S3: the listing, then every bucket in its own region) and the regional ones (Config, Macie)
 * in each region — each a get → transform → load recorded as one SyncTask, then re-evaluate the account's buckets.
 *
 * Failure isolation: a role that cannot be assumed fails this account only (its last good data stays visible and
 * the account is shown as failed with the reason); a region or source that fails is recorded on its task and
 * makes the account "partial" (the bucket inventory failing makes it "failed"); a bucket setting that cannot be
 * read is `unknown` on that bucket only.
 * This function is the body of a sync job: the inline runner (run-sync.ts) and the queue worker both call it.
 */
import { randomUUID } from "node:crypto";
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import {
  isRegionNotEnabledError,
  REGION_NOT_ENABLED,
  regionNotEnabledError,
} from "@/lib/domain/regions/region-not-enabled";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import { SOURCES } from "@/lib/sources/registry";
import { AssumeRoleError, type AwsConnector } from "@/lib/sources/shared/connector";
import type { SourceReadOutcome, SourceSyncContext } from "@/lib/sources/shared/source";
import { evaluateAccountBuckets } from "@/lib/evaluation/evaluate-buckets";

export interface SyncAccountOptions {
  /** Regions of the regional sources. Default: the regions the account's buckets are in, plus its home region. */
  regions?: string[];
  homeRegion?: string;
  bucketConcurrency?: number;
  /** Regions collected at once (each with all its regional sources). Default 4. */
  regionConcurrency?: number;
  /** Progress for the accounts page; called often, so the receiver decides how often to persist it. */
  onProgress?: (progress: SyncAccountProgress) => void;
}

export interface SyncAccountProgress {
  bucketsTotal?: number;
  bucketsRead?: number;
  regionsTotal?: number;
  regionsDone?: number;
  errors?: number;
}

export type AccountSyncOutcome = {
  accountId: string;
  status: "succeeded" | "partial" | "failed";
  error: string | null;
  buckets: number;
};

/** The registered sync steps, by scope, in registry order. */
const ACCOUNT_STEPS = SOURCES.flatMap((s) => (s.sync?.scope === "account" ? [{ key: s.key, sync: s.sync }] : []));
const REGIONAL_STEPS = SOURCES.flatMap((s) => (s.sync?.scope === "region" ? [{ key: s.key, sync: s.sync }] : []));

/**
 * A task's row: "running" while it works (the accounts page shows it; an interrupted job's running rows are marked
 * failed by the job's retry and the reaper), then its outcome. Written with plain SQL on the bulk connections: an
 * account has a dozen tasks, and through Prisma each create and update cost ≈ 1.2 ms of worker CPU against ≈ 0.1 ms
 * (measured, docs/performance.md, benchmark 1) — a fifth of a 50-bucket account's worker CPU went to these rows.
 * Timestamps travel as ISO strings in UTC, like every other timestamp Custody stores.
 */
const INSERT_TASK_SQL = `INSERT INTO sync_task (id, sync_run_id, account_id, region, collector, status, started_at)
  VALUES ($1, $2, $3, $4, $5, 'running', $6)`;
const FINISH_TASK_SQL = `UPDATE sync_task
    SET status = $2, finished_at = $3, items_read = COALESCE($4, items_read), error_code = $5, error_message = $6
  WHERE id = $1`;

/** The account's sync outcome (last success only when the bucket inventory was read); updated_at as Prisma sets it. */
const ACCOUNT_OUTCOME_SQL = `UPDATE account
    SET last_sync_status = $2, last_sync_at = $3, last_success_at = COALESCE($4, last_success_at), last_error = $5,
        last_error_code = $6, updated_at = $7
  WHERE id = $1`;

async function task(
  client: Db,
  ids: { syncRunId: string; accountId: string; region: string; collector: string },
  work: () => Promise<SourceReadOutcome>,
): Promise<{ outcome: SourceReadOutcome | null; failed: boolean }> {
  const pool = bulkPoolFor(client);
  const id = randomUUID();
  await pool.query({
    name: "sync-task-start",
    text: INSERT_TASK_SQL,
    values: [id, ids.syncRunId, ids.accountId, ids.region, ids.collector, new Date().toISOString()],
  });
  const finish = (
    status: "succeeded" | "failed" | "region-not-enabled",
    itemsRead: number | null,
    code: string | null,
    message: string | null,
  ) =>
    pool.query({
      name: "sync-task-finish",
      text: FINISH_TASK_SQL,
      values: [id, status, new Date().toISOString(), itemsRead, code, message],
    });
  try {
    const outcome = await work();
    const { itemsRead } = outcome;
    // A region the account has not enabled is said so — not a failed task, and not a partial sync.
    const error =
      outcome.error &&
      (outcome.error.code === REGION_NOT_ENABLED || isRegionNotEnabledError({ name: outcome.error.code }, ids.region))
        ? { ...outcome.error, notEnabled: true }
        : outcome.error && { ...outcome.error, notEnabled: false };
    await finish(
      !error ? "succeeded" : error.notEnabled ? "region-not-enabled" : "failed",
      itemsRead,
      error ? (error.notEnabled ? REGION_NOT_ENABLED : error.code) : null,
      error
        ? error.notEnabled && error.code !== REGION_NOT_ENABLED
          ? regionNotEnabledError(ids.region, { name: error.code, message: error.message }).message
          : error.message
        : null,
    );
    return { outcome, failed: error !== null && !error.notEnabled };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    await finish("failed", null, err.name, err.message.slice(0, 2000));
    return { outcome: null, failed: true };
  }
}

export async function syncAccount(
  client: Db,
  connector: AwsConnector,
  input: { syncRunId: string; account: { id: string; roleArn: string; externalId: string } },
  options: SyncAccountOptions = {},
): Promise<AccountSyncOutcome> {
  const { syncRunId, account } = input;
  const accountId = account.id;
  const startedAt = new Date();
  const homeRegion = options.homeRegion ?? "us-east-1";

  let clients;
  try {
    clients = await connector.connect({ accountId, roleArn: account.roleArn, externalId: account.externalId });
  } catch (e) {
    const code = e instanceof AssumeRoleError ? e.code : e instanceof Error ? e.name : "Error";
    const explanation = e instanceof AssumeRoleError ? e.explanation : e instanceof Error ? e.message : String(e);
    await client.syncTask.create({
      data: {
        syncRunId,
        accountId,
        region: "global",
        collector: "sts",
        status: "failed",
        startedAt,
        finishedAt: new Date(),
        errorCode: code,
        errorMessage: explanation,
      },
    });
    await client.account.update({
      where: { id: accountId },
      data: { lastSyncStatus: "failed", lastSyncAt: startedAt, lastError: explanation, lastErrorCode: code },
    });
    return { accountId, status: "failed", error: `${code}: ${explanation}`, buckets: 0 };
  }

  let failures = 0;
  const readAt = new Date();
  const context: SourceSyncContext = {
    db: client,
    clients,
    syncRunId,
    accountId,
    homeRegion,
    readAt,
    bucketConcurrency: options.bucketConcurrency,
    onBucketProgress: (progress) => options.onProgress?.(progress),
  };

  // Account-wide sources (S3: the listing and per-bucket settings, then account-level Block Public Access).
  // Account-wide steps run side by side, in waves: a step with `after` waits for the steps it reads.
  const runAccountSteps = async () => {
    const done: Awaited<ReturnType<typeof runAccountStep>>[] = [];
    let pending = [...ACCOUNT_STEPS];
    while (pending.length > 0) {
      const ready = pending.filter((s) => (s.sync.after ?? []).every((k) => done.some((d) => d.key === k)));
      if (ready.length === 0)
        throw new Error(`account-wide steps wait on each other: ${pending.map((s) => s.key).join(", ")}`);
      done.push(...(await Promise.all(ready.map(runAccountStep))));
      pending = pending.filter((s) => !ready.includes(s));
    }
    return done;
  };
  const runAccountStep = async ({ key, sync }: (typeof ACCOUNT_STEPS)[number]) => ({
    key,
    sync,
    ...(await task(client, { syncRunId, accountId, region: "global", collector: key }, () => sync.run(context))),
  });

  // Regional sources (AWS Config, Macie), per region: the sources of a region run side by side.
  let regionsDone = 0;
  const runRegions = (regions: string[]) => {
    options.onProgress?.({ regionsTotal: regions.length, regionsDone: 0 });
    return mapWithConcurrency(regions, options.regionConcurrency ?? 4, async (region) => {
      const tasks = await Promise.all(
        REGIONAL_STEPS.map(({ key, sync }) =>
          task(client, { syncRunId, accountId, region, collector: key }, () => sync.run({ ...context, region })),
        ),
      );
      failures += tasks.filter((t) => t.failed).length;
      regionsDone++;
      options.onProgress?.({ regionsDone, errors: failures });
    });
  };

  // With a configured region list, the account-wide and the regional sources overlap (the per-call latency of one
  // hides behind the other). Otherwise the regions are those the account's buckets are in, plus its home region:
  // known only after the S3 listing.
  let accountTasks: Awaited<ReturnType<typeof runAccountSteps>>;
  if (options.regions) {
    [accountTasks] = await Promise.all([runAccountSteps(), runRegions(options.regions)]);
  } else {
    accountTasks = await runAccountSteps();
    const found = accountTasks.flatMap((t) => t.outcome?.regions ?? []);
    await runRegions([...new Set([homeRegion, ...found])].sort());
  }
  failures += accountTasks.filter((t) => t.failed).length;
  options.onProgress?.({ errors: failures });
  const inventory = accountTasks.find((t) => t.sync.inventory);
  const inventoryFailed = inventory?.failed ?? false;

  await evaluateAccountBuckets(client, accountId);

  const status = inventoryFailed ? "failed" : failures > 0 ? "partial" : "succeeded";
  const inventoryError = inventory?.outcome?.error;
  const error = inventoryFailed
    ? `${inventory?.sync.inventory?.failureSummary}${inventoryError ? `: ${inventoryError.code}: ${inventoryError.message}` : ""}`
    : failures > 0
      ? `${failures} collector task(s) failed; see the sync history`
      : null;
  const updated = await bulkPoolFor(client).query({
    name: "sync-account-outcome",
    text: ACCOUNT_OUTCOME_SQL,
    values: [
      accountId,
      status,
      startedAt.toISOString(),
      status === "failed" ? null : readAt.toISOString(),
      error,
      status === "succeeded" ? null : status,
      new Date().toISOString(),
    ],
  });
  // As Prisma's update did: an account deleted during its sync is an error, not a silent no-op.
  if (updated.rowCount === 0) throw new Error(`Account ${accountId} was deleted during its sync`);
  return { accountId, status, error, buckets: inventory?.outcome?.itemsRead ?? 0 };
}
