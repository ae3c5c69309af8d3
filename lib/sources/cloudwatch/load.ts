/**
 * The CloudWatch source's SQL: the filter metrics an account's sync looks for (from the metric filters the logs
 * step just stored, readable ones only), and the load of each region's alarms in ONE statement. A region's row is
 * replaced by its read (a failed read by {ok: false, reason}); regions with no filter metric any more are deleted —
 * but only when every log group's filters were readable: an unreadable group may still hold the metric a region's
 * last good alarms watch, so those stay.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { CloudWatchCollection, FilterMetric } from "./collect";

export async function filterMetricsOf(
  client: Db,
  accountId: string,
): Promise<{ metrics: FilterMetric[]; allGroupsRead: boolean }> {
  const unreadable = await bulkPoolFor(client).query<{ n: number }>({
    name: "cloudwatch-unreadable-groups",
    text: `SELECT count(*)::int AS n FROM log_group_metric_filters
            WHERE account_id = $1 AND NOT (metric_filters->>'ok')::bool`,
    values: [accountId],
  });
  const result = await bulkPoolFor(client).query<FilterMetric>({
    name: "cloudwatch-filter-metrics",
    text: `SELECT DISTINCT l.region, m->>'name' AS name, m->>'namespace' AS namespace
             FROM log_group_metric_filters l
             CROSS JOIN LATERAL jsonb_array_elements(
               CASE WHEN (l.metric_filters->>'ok')::bool THEN l.metric_filters->'value' ELSE '[]'::jsonb END) f
             CROSS JOIN LATERAL jsonb_array_elements(f->'metrics') m
            WHERE l.account_id = $1 AND m->>'name' <> '' AND m->>'namespace' <> ''`,
    values: [accountId],
  });
  return { metrics: result.rows, allGroupsRead: (unreadable.rows[0]?.n ?? 0) === 0 };
}

export async function loadMetricAlarms(
  client: Db,
  input: {
    syncRunId: string;
    accountId: string;
    readAt: Date;
    collection: CloudWatchCollection;
    /** Delete the regions not read (false when some group's filters were unreadable: see the header). */
    deleteUnread: boolean;
  },
): Promise<{ written: number }> {
  const { syncRunId, accountId, readAt, collection, deleteUnread } = input;
  const regions = collection.regions;
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-metric-alarms",
    text: `WITH u AS (SELECT * FROM unnest($4::text[], $5::jsonb[]) AS u(region, alarms)),
     written AS (
       INSERT INTO metric_alarm_set (account_id, region, alarms, read_at, sync_run_id)
       SELECT $1, u.region, u.alarms, $2, $3::uuid FROM u
       ON CONFLICT (account_id, region) DO UPDATE
         SET alarms = EXCLUDED.alarms, read_at = EXCLUDED.read_at, sync_run_id = EXCLUDED.sync_run_id
       RETURNING 1),
     gone AS (
       DELETE FROM metric_alarm_set a WHERE a.account_id = $1 AND $6::bool
          AND NOT EXISTS (SELECT 1 FROM u WHERE u.region = a.region))
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      readAt,
      syncRunId,
      regions.map((r) => r.region),
      regions.map((r) => JSON.stringify(r.alarms)),
      deleteUnread,
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
