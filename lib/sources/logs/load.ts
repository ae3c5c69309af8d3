/**
 * The CloudWatch Logs source's SQL: which log groups an account's sync reads (those its own trails deliver to, from
 * the trail table CloudTrail's step just wrote), and the load of what was read in ONE statement. Each group's row
 * is replaced by its read — a failed read by {ok: false, reason}, so evaluation says unknown rather than trusting
 * an old answer — and never touches another group's row; groups no trail names any more are deleted.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { LogsCollection } from "./collect";

export async function trailLogGroupArnsOf(client: Db, accountId: string): Promise<string[]> {
  const result = await bulkPoolFor(client).query<{ arn: string }>({
    name: "logs-trail-log-groups",
    // An organisation trail's group is its owner's to read (only the owner's role can).
    text: `SELECT DISTINCT t.cloudwatch_logs_log_group_arn AS arn FROM trail t
            WHERE t.account_id = $1 AND t.owner_account_id = $1 AND t.cloudwatch_logs_log_group_arn IS NOT NULL`,
    values: [accountId],
  });
  return result.rows.map((r) => r.arn);
}

export async function loadLogGroupMetricFilters(
  client: Db,
  input: { syncRunId: string; accountId: string; readAt: Date; collection: LogsCollection },
): Promise<{ written: number }> {
  const { syncRunId, accountId, readAt, collection } = input;
  const groups = collection.groups;
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-log-group-metric-filters",
    text: `WITH u AS (
       SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::jsonb[])
              AS u(log_group_arn, region, log_group_name, metric_filters)),
     written AS (
       INSERT INTO log_group_metric_filters (account_id, log_group_arn, region, log_group_name, metric_filters,
                                             read_at, sync_run_id)
       SELECT $1, u.log_group_arn, u.region, u.log_group_name, u.metric_filters, $2, $3::uuid FROM u
       ON CONFLICT (account_id, log_group_arn) DO UPDATE
         SET region = EXCLUDED.region, log_group_name = EXCLUDED.log_group_name,
             metric_filters = EXCLUDED.metric_filters, read_at = EXCLUDED.read_at, sync_run_id = EXCLUDED.sync_run_id
       RETURNING 1),
     gone AS (
       DELETE FROM log_group_metric_filters l WHERE l.account_id = $1
          AND NOT EXISTS (SELECT 1 FROM u WHERE u.log_group_arn = l.log_group_arn))
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      readAt,
      syncRunId,
      groups.map((g) => g.arn),
      groups.map((g) => g.region),
      groups.map((g) => g.name),
      groups.map((g) => JSON.stringify(g.metricFilters)),
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
