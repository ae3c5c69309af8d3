/**
 * load + cleanup for the AWS Config and Macie collectors, per account and region, each in ONE statement: the upserts,
 * the deletes and the region's status are data-modifying CTEs of a single statement, which is atomic by itself and
 * costs one round trip (it used to be a transaction of five to seven statements, per region and collector, which
 * was most of a sync's statements per account).
 * A region's earlier rows are replaced only when its collection completed (error === null): a failed read never
 * deletes the last good data. Rows that did not change are not rewritten (upserts guarded by IS DISTINCT FROM), so
 * an unchanged re-sync writes almost nothing. Region status (recorder state, Macie enabled/disabled and why) is kept
 * in AccountRegion for the freshness view and for evaluation (Macie disabled → Macie-based controls unknown).
 */
import type { ConfigRegionCollection } from "@/lib/sources/config/collect";
import type { MacieRegionCollection } from "@/lib/sources/macie/collect";
import { bulkPoolFor, type Db } from "@/lib/db/prisma";

type RegionKey = { accountId: string; region: string; collector: "config" | "macie" };

/**
 * The region's status row, as SQL for a CTE or a statement of its own. $1 account, $2 region, then the parameters
 * at `at` onwards: collector, attempt time, error message (failure only), status JSON.
 */
function markRegionSql(at: number, failed: boolean) {
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

async function markRegionFailed(
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
