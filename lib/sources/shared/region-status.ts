/**
 * The region's status row (AccountRegion, one per account × region × source) that a regional source's load writes
 * with its data: when it was last attempted and succeeded, why it last failed, and the source's status JSON (Config's
 * recorder, Macie enabled/disabled and why) for the freshness view and for evaluation.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";

export type RegionKey = { accountId: string; region: string; collector: string };

/**
 * The region's status row, as SQL for a CTE or a statement of its own. $1 account, $2 region, then the parameters
 * at `at` onwards: collector, attempt time, error message (failure only), status JSON.
 */
export function markRegionSql(at: number, failed: boolean) {
  const p = (k: number) => `$${at + k}`;
  return failed
    ? // Keep the last good status and success time; record the attempt and why it failed.
      `INSERT INTO account_region (account_id, region, collector, last_attempt_at, last_error, status)
       VALUES ($1, $2, ${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::jsonb)
       ON CONFLICT (account_id, region, collector) DO UPDATE SET last_attempt_at = EXCLUDED.last_attempt_at, last_error = EXCLUDED.last_error`
    : `INSERT INTO account_region (account_id, region, collector, last_attempt_at, last_success_at, last_error, status)
       VALUES ($1, $2, ${p(0)}, ${p(1)}, ${p(1)}, NULL, ${p(2)}::jsonb)
       ON CONFLICT (account_id, region, collector) DO UPDATE
         SET last_attempt_at = EXCLUDED.last_attempt_at, last_success_at = EXCLUDED.last_success_at, last_error = NULL,
             status = EXCLUDED.status`;
}

/** A failed read: keep the last good status and success time, record the attempt and why it failed. */
export async function markRegionFailed(
  client: Db,
  key: RegionKey,
  readAt: Date,
  error: { code: string; message: string },
  status: unknown,
) {
  const message = `${error.code}: ${error.message}`.slice(0, 2000);
  await bulkPoolFor(client).query(markRegionSql(3, true), [
    key.accountId,
    key.region,
    key.collector,
    readAt,
    message,
    JSON.stringify(status),
  ]);
}
