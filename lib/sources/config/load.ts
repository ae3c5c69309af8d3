/**
 * load + cleanup for the AWS Config source, per account and region, in ONE statement: the upserts, the deletes and
 * the region's status are data-modifying CTEs of a single statement, which is atomic by itself and costs one round
 * trip (it used to be a transaction of five to seven statements, per region and collector, which was most of a
 * sync's statements per account).
 * A region's earlier rows are replaced only when its collection completed (error === null): a failed read never
 * deletes the last good data. Rows that did not change are not rewritten (upserts guarded by IS DISTINCT FROM), so
 * an unchanged re-sync writes almost nothing. The recorder state and deployed rules go to AccountRegion.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import { markRegionFailed, markRegionSql, type RegionKey } from "@/lib/sources/shared/region-status";
import type { ConfigRegionCollection } from "./collect";

export async function loadConfigRegion(
  client: Db,
  input: { syncRunId: string; accountId: string; region: string; readAt: Date; collection: ConfigRegionCollection },
) {
  const { syncRunId, accountId, region, readAt, collection } = input;
  const key: RegionKey = { accountId, region, collector: "config" };
  const status = {
    recorder: collection.recorder,
    deployedRules: collection.rules.map((r) => ({ ruleName: r.ruleName, sourceIdentifier: r.sourceIdentifier })),
  };
  if (collection.error) {
    await markRegionFailed(client, key, readAt, collection.error, status);
    return { written: 0 };
  }
  // One row per rule × bucket (a rule can report a bucket once; keep the latest if AWS repeats it).
  const latest = new Map<string, ConfigRegionCollection["evaluations"][number]>();
  for (const e of collection.evaluations) {
    const k = `${e.ruleName}\u0000${e.bucketName}`;
    const prev = latest.get(k);
    if (!prev || prev.recordedAt < e.recordedAt) latest.set(k, e);
  }
  const rows = [...latest.values()];
  // The CTEs see one snapshot: the upsert touches only reported (rule, bucket) pairs and the delete only pairs that
  // were not reported, so no row is modified twice.
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-config-region", // prepared once per connection, like the Macie statement below
    text: `WITH u AS (
       SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamp[], $9::text[])
              AS u(rule_name, source_identifier, bucket_name, compliance_type, recorded_at, annotation)),
     written AS (
       INSERT INTO config_evaluation (account_id, region, rule_name, source_identifier, bucket_name, compliance_type, recorded_at, annotation, sync_run_id)
       SELECT $1, $2, u.rule_name, u.source_identifier, u.bucket_name, u.compliance_type, u.recorded_at, u.annotation, $3::uuid FROM u
       ON CONFLICT (account_id, region, rule_name, bucket_name) DO UPDATE
         SET source_identifier = EXCLUDED.source_identifier, compliance_type = EXCLUDED.compliance_type,
             recorded_at = EXCLUDED.recorded_at, annotation = EXCLUDED.annotation, sync_run_id = EXCLUDED.sync_run_id
       WHERE (config_evaluation.compliance_type, config_evaluation.recorded_at, config_evaluation.annotation, config_evaluation.source_identifier)
             IS DISTINCT FROM (EXCLUDED.compliance_type, EXCLUDED.recorded_at, EXCLUDED.annotation, EXCLUDED.source_identifier)
       RETURNING 1),
     -- Evaluations Config no longer reports (rule deleted, bucket gone) go.
     gone AS (
       DELETE FROM config_evaluation c
        WHERE c.account_id = $1 AND c.region = $2
          AND NOT EXISTS (SELECT 1 FROM u WHERE u.rule_name = c.rule_name AND u.bucket_name = c.bucket_name)),
     region AS (${markRegionSql(10, false)})
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      region,
      syncRunId,
      rows.map((e) => e.ruleName),
      rows.map((e) => e.sourceIdentifier),
      rows.map((e) => e.bucketName),
      rows.map((e) => e.complianceType),
      rows.map((e) => new Date(e.recordedAt)),
      rows.map((e) => e.annotation),
      key.collector,
      readAt,
      JSON.stringify(status),
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
