/**
 * load for the CloudTrail source, per account, in ONE statement: the trails the read listed replace the account's
 * earlier ones (upserts and the delete of trails no longer listed are CTEs of a single, atomic statement). A failed
 * DescribeTrails writes nothing, so the last good trails stay (the sync task records the failure); a trail whose
 * status or selectors could not be read is stored with that reason, which evaluation reports as unknown.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { CloudTrailCollection } from "./collect";

export async function loadCloudTrailAccount(
  client: Db,
  input: { syncRunId: string; accountId: string; readAt: Date; collection: CloudTrailCollection },
): Promise<{ written: number }> {
  const { syncRunId, accountId, readAt, collection } = input;
  if (collection.error) return { written: 0 };
  const trails = collection.trails;
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-cloudtrail-account",
    text: `WITH u AS (
       SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::bool[], $10::bool[], $11::bool[],
                            $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::jsonb[], $18::jsonb[])
              AS u(arn, name, home_region, owner_account_id, is_organization_trail, is_multi_region,
                   include_global_service_events, log_file_validation, s3_bucket_name, s3_key_prefix, kms_key_id,
                   cloudwatch_logs_log_group_arn, sns_topic_arn, status, event_selectors)),
     written AS (
       INSERT INTO trail (account_id, arn, name, home_region, owner_account_id, is_organization_trail, is_multi_region,
                          include_global_service_events, log_file_validation, s3_bucket_name, s3_key_prefix, kms_key_id,
                          cloudwatch_logs_log_group_arn, sns_topic_arn, status, event_selectors, read_at, sync_run_id)
       SELECT $1, u.arn, u.name, u.home_region, u.owner_account_id, u.is_organization_trail, u.is_multi_region,
              u.include_global_service_events, u.log_file_validation, u.s3_bucket_name, u.s3_key_prefix, u.kms_key_id,
              u.cloudwatch_logs_log_group_arn, u.sns_topic_arn, u.status, u.event_selectors, $2, $3::uuid FROM u
       ON CONFLICT (account_id, arn) DO UPDATE
         SET name = EXCLUDED.name, home_region = EXCLUDED.home_region, owner_account_id = EXCLUDED.owner_account_id,
             is_organization_trail = EXCLUDED.is_organization_trail, is_multi_region = EXCLUDED.is_multi_region,
             include_global_service_events = EXCLUDED.include_global_service_events,
             log_file_validation = EXCLUDED.log_file_validation, s3_bucket_name = EXCLUDED.s3_bucket_name,
             s3_key_prefix = EXCLUDED.s3_key_prefix, kms_key_id = EXCLUDED.kms_key_id,
             cloudwatch_logs_log_group_arn = EXCLUDED.cloudwatch_logs_log_group_arn,
             sns_topic_arn = EXCLUDED.sns_topic_arn, status = EXCLUDED.status,
             event_selectors = EXCLUDED.event_selectors, read_at = EXCLUDED.read_at, sync_run_id = EXCLUDED.sync_run_id
       RETURNING 1),
     gone AS (
       DELETE FROM trail t WHERE t.account_id = $1 AND NOT EXISTS (SELECT 1 FROM u WHERE u.arn = t.arn))
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      readAt,
      syncRunId,
      trails.map((t) => t.arn),
      trails.map((t) => t.name),
      trails.map((t) => t.homeRegion),
      trails.map((t) => t.ownerAccountId),
      trails.map((t) => t.isOrganizationTrail),
      trails.map((t) => t.isMultiRegion),
      trails.map((t) => t.includeGlobalServiceEvents),
      trails.map((t) => t.logFileValidation),
      trails.map((t) => t.s3BucketName),
      trails.map((t) => t.s3KeyPrefix),
      trails.map((t) => t.kmsKeyId),
      trails.map((t) => t.cloudWatchLogsLogGroupArn),
      trails.map((t) => t.snsTopicArn),
      trails.map((t) => json(t.status)),
      trails.map((t) => json(t.eventSelectors)),
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
