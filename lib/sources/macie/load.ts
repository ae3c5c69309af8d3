/**
 * load + cleanup for the Amazon Macie source, per account and region, in ONE statement (data-modifying CTEs, like
 * config/load.ts): findings and bucket profiles are upserted (only what changed), rows Macie no longer returns are
 * removed, and the region's status — Macie enabled/disabled and why, which evaluation reads (Macie disabled →
 * Macie-based controls unknown) — goes to AccountRegion. A failed read never deletes the last good data.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import { markRegionFailed, markRegionSql, type RegionKey } from "@/lib/sources/shared/region-status";
import type { MacieRegionCollection } from "./collect";

export async function loadMacieRegion(
  client: Db,
  input: { syncRunId: string; accountId: string; region: string; readAt: Date; collection: MacieRegionCollection },
) {
  const { syncRunId, accountId, region, readAt, collection } = input;
  const key: RegionKey = { accountId, region, collector: "macie" };
  const status = collection.session;
  if (collection.error || collection.session.status === "unknown") {
    const error = collection.error ?? {
      code: collection.session.status === "unknown" ? collection.session.errorCode : "Unknown",
      message: collection.session.status === "unknown" ? collection.session.reason : "",
    };
    await markRegionFailed(client, key, readAt, error, status);
    return { written: 0 };
  }
  const f = collection.findings;
  const p = collection.bucketProfiles;
  // Findings: upsert what Macie returned (rewriting only what changed); rows Macie no longer returns for this
  // account and region (archived, or past Macie's 90-day retention) are removed. The same for bucket profiles.
  // One snapshot for every CTE; each upsert and its delete touch disjoint rows.
  // A named statement: prepared once per connection (a large sync loads thousands of account-regions).
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-macie-region",
    text: `WITH written AS (
       INSERT INTO macie_finding (id, account_id, region, bucket_name, type, category, severity, severity_score, count,
              sensitive_data_categories, detection_types, created_at, updated_at, archived, first_seen_at, last_seen_sync_id)
       SELECT u.id, $1, $2, u.bucket_name, u.type, u.category, u.severity, u.severity_score, u.count,
              string_to_array(u.cats, '|'), string_to_array(u.types, '|'), u.created_at, u.updated_at, u.archived, $3, $4::uuid
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::int[], $12::text[], $13::text[],
                     $14::timestamp[], $15::timestamp[], $16::boolean[])
              AS u(id, bucket_name, type, category, severity, severity_score, count, cats, types, created_at, updated_at, archived)
       ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, severity_score = EXCLUDED.severity_score,
              count = EXCLUDED.count, updated_at = EXCLUDED.updated_at, archived = EXCLUDED.archived,
              sensitive_data_categories = EXCLUDED.sensitive_data_categories, detection_types = EXCLUDED.detection_types,
              last_seen_sync_id = EXCLUDED.last_seen_sync_id
       WHERE (macie_finding.updated_at, macie_finding.archived, macie_finding.count, macie_finding.severity_score)
             IS DISTINCT FROM (EXCLUDED.updated_at, EXCLUDED.archived, EXCLUDED.count, EXCLUDED.severity_score)
       RETURNING 1),
     gone_findings AS (DELETE FROM macie_finding WHERE account_id = $1 AND region = $2 AND id <> ALL($5::text[])),
     profiles AS (
       INSERT INTO macie_bucket_profile (account_id, bucket_name, region, sensitivity_score, classifiable_object_count,
              classifiable_size_in_bytes, last_automated_discovery_time, monitoring_status, sync_run_id)
       SELECT $1, u.bucket_name, $2, u.score, u.objects, u.bytes, u.last_run, u.monitoring, $4::uuid
         FROM unnest($17::text[], $18::int[], $19::bigint[], $20::bigint[], $21::timestamp[], $22::text[])
              AS u(bucket_name, score, objects, bytes, last_run, monitoring)
       ON CONFLICT (account_id, bucket_name) DO UPDATE SET region = EXCLUDED.region, sensitivity_score = EXCLUDED.sensitivity_score,
              classifiable_object_count = EXCLUDED.classifiable_object_count, classifiable_size_in_bytes = EXCLUDED.classifiable_size_in_bytes,
              last_automated_discovery_time = EXCLUDED.last_automated_discovery_time, monitoring_status = EXCLUDED.monitoring_status,
              sync_run_id = EXCLUDED.sync_run_id
       WHERE (macie_bucket_profile.sensitivity_score, macie_bucket_profile.classifiable_object_count, macie_bucket_profile.classifiable_size_in_bytes,
              macie_bucket_profile.last_automated_discovery_time, macie_bucket_profile.monitoring_status, macie_bucket_profile.region)
             IS DISTINCT FROM (EXCLUDED.sensitivity_score, EXCLUDED.classifiable_object_count, EXCLUDED.classifiable_size_in_bytes,
              EXCLUDED.last_automated_discovery_time, EXCLUDED.monitoring_status, EXCLUDED.region)),
     gone_profiles AS (DELETE FROM macie_bucket_profile WHERE account_id = $1 AND region = $2 AND bucket_name <> ALL($17::text[])),
     region AS (${markRegionSql(23, false)})
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      region,
      readAt,
      syncRunId,
      f.map((x) => x.id),
      f.map((x) => x.bucketName),
      f.map((x) => x.type),
      f.map((x) => x.category),
      f.map((x) => x.severity),
      f.map((x) => x.severityScore),
      f.map((x) => x.count),
      f.map((x) => x.sensitiveDataCategories.join("|")),
      f.map((x) => x.detectionTypes.join("|")),
      f.map((x) => new Date(x.createdAt)),
      f.map((x) => new Date(x.updatedAt)),
      f.map((x) => x.archived),
      p.map((x) => x.bucketName),
      p.map((x) => x.sensitivityScore),
      p.map((x) => x.classifiableObjectCount),
      p.map((x) => x.classifiableSizeInBytes),
      p.map((x) => (x.lastAutomatedDiscoveryTime ? new Date(x.lastAutomatedDiscoveryTime) : null)),
      p.map((x) => x.monitoringStatus),
      key.collector,
      readAt,
      JSON.stringify(status),
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
