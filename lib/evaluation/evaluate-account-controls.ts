/**
 * Account controls' evaluation: reads what the sources stored (trail, bucket + bucket_state for the trail buckets,
 * log_group_metric_filters, metric_alarm_set, sns_topic, sync_task for whether CloudTrail could be read), builds each
 * account's AccountControlInput and writes `account_control_result` in one set-based statement.
 *
 * When: at the end of a sync run, org-wide in one step (`evaluateAccountControlsAfterSync`): an organisation trail's
 * status, selectors and alerting chain are read by the management account, which may sync after a member. The run's
 * accounts are re-evaluated together with every account whose trail one of them owns or whose trail bucket one of
 * them holds (a single-account sync of the management account re-evaluates all members).
 *
 * Failure-safe: results are written only after every read succeeded, in one statement; an account whose evaluation
 * throws keeps its last good rows.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type {
  AlertingAlarm,
  AlertingInput,
  AlertingMetricFilter,
  AlertingTopic,
  AlertingTrail,
  Readable,
} from "@/lib/domain/alerting/bucket-change-alerting";
import type { AccountControlInput, PostureTrail, TrailBucket } from "@/lib/domain/account-controls/account-control";
import { evaluateAccountControls } from "@/lib/domain/account-controls/catalog";
import { trailRecording } from "@/lib/domain/audit-trail/event-selectors";
import type { LoggingSettings, Setting, VersioningSettings } from "@/lib/domain/bucket-settings";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { logger } from "@/lib/logger";

type TrailRow = {
  account_id: string;
  arn: string;
  name: string;
  home_region: string;
  owner_account_id: string;
  is_organization_trail: boolean;
  is_multi_region: boolean;
  log_file_validation: boolean;
  s3_bucket_name: string | null;
  kms_key_id: string | null;
  cloudwatch_logs_log_group_arn: string | null;
  status: Readable<{ isLogging: boolean }> | null;
  event_selectors: PostureTrail["eventSelectors"] | null;
};

/** CloudTrail names a log group `…:log-group:NAME:*`; DescribeLogGroups' arn may or may not end in `:*`. */
const groupKey = (arn: string) => arn.replace(/:\*$/, "");
const regionOfArn = (arn: string) => arn.split(":")[3] ?? "";

export interface AccountControlsSummary {
  accounts: number;
  written: number;
  failedAccounts: string[];
}

/** Accounts whose account controls depend on what these accounts' syncs just read. */
export async function accountsAffectedBy(client: Db, accountIds: string[]): Promise<string[]> {
  const { rows } = await bulkPoolFor(client).query<{ id: string }>(
    // A join, not `OR t.s3_bucket_name IN (SELECT name FROM bucket …)`: inside an OR that IN is a SubPlan, hashed only
    // while the accounts' bucket names fit in work_mem — after a sync of 10,000 accounts (1,000,000 names) it would be
    // rescanned once per trail row. Each branch of the UNION is a plain (semi-)join, linear whatever work_mem is.
    `SELECT unnest($1::varchar[]) AS id
     UNION
     SELECT t.account_id FROM trail t WHERE t.owner_account_id = ANY($1::varchar[])
     UNION
     SELECT t.account_id FROM trail t JOIN bucket b ON b.name = t.s3_bucket_name
      WHERE b.account_id = ANY($1::varchar[]) AND b.gone_at IS NULL`,
    [accountIds],
  );
  return rows.map((r) => r.id);
}

/**
 * Evaluate the account controls of `accountIds` (all enabled accounts when omitted) and store the results.
 * Throws only when a read or the write fails — nothing is written then.
 */
export async function evaluateAccountControlsFor(
  client: Db,
  options: { accountIds?: string[]; syncRunId?: string | null; now?: Date } = {},
): Promise<AccountControlsSummary> {
  const pool = bulkPoolFor(client);
  const now = options.now ?? new Date();
  const accounts = (
    await pool.query<{ id: string }>(
      `SELECT id FROM account WHERE enabled AND ($1::varchar[] IS NULL OR id = ANY($1::varchar[])) ORDER BY id`,
      [options.accountIds ?? null],
    )
  ).rows.map((r) => r.id);
  if (accounts.length === 0) return { accounts: 0, written: 0, failedAccounts: [] };

  // The accounts' own trail rows, plus each listed trail as its owner read it (an organisation trail's status). Two
  // branches, not `OR t.arn IN (SELECT …)`: an IN under an OR is a SubPlan hashed only while it fits in work_mem;
  // alone in a WHERE it is a semi-join.
  const trails = (
    await pool.query<TrailRow>(
      `SELECT account_id, arn, name, home_region, owner_account_id, is_organization_trail, is_multi_region,
              log_file_validation, s3_bucket_name, kms_key_id, cloudwatch_logs_log_group_arn, status, event_selectors
         FROM trail t
        WHERE t.account_id = ANY($1::varchar[])
       UNION ALL
       SELECT account_id, arn, name, home_region, owner_account_id, is_organization_trail, is_multi_region,
              log_file_validation, s3_bucket_name, kms_key_id, cloudwatch_logs_log_group_arn, status, event_selectors
         FROM trail t
        WHERE t.account_id = t.owner_account_id AND NOT (t.account_id = ANY($1::varchar[]))
          AND t.arn IN (SELECT m.arn FROM trail m WHERE m.account_id = ANY($1::varchar[]))`,
      [accounts],
    )
  ).rows;
  const ownerRead = new Map(trails.filter((t) => t.account_id === t.owner_account_id).map((t) => [t.arn, t]));
  const trailsOf = new Map<string, TrailRow[]>();
  const evaluating = new Set(accounts); // 10,000 accounts × their trails: a lookup, not a scan of the list
  for (const t of trails) {
    if (!evaluating.has(t.account_id)) continue;
    trailsOf.set(t.account_id, [...(trailsOf.get(t.account_id) ?? []), t]);
  }

  // Whether CloudTrail could ever be read for an account with no trail rows: absent trails fail, unread ones are unknown.
  const reads = new Map(
    (
      await pool.query<{ account_id: string; ever_ok: boolean; last_error: string | null }>(
        `SELECT account_id, bool_or(status = 'succeeded') AS ever_ok,
                (array_agg(COALESCE(error_code || ': ', '') || COALESCE(error_message, status) ORDER BY finished_at DESC NULLS LAST)
                   FILTER (WHERE status IN ('failed', 'region-not-enabled')))[1] AS last_error
           FROM sync_task WHERE collector = 'cloudtrail' AND account_id = ANY($1::varchar[])
          GROUP BY account_id`,
        [accounts],
      )
    ).rows.map((r) => [r.account_id, r]),
  );

  const bucketNames = [...new Set(trails.map((t) => t.s3_bucket_name).filter((n): n is string => !!n))];
  const trailBuckets: Record<string, TrailBucket> = {};
  if (bucketNames.length) {
    const { rows } = await pool.query<{
      name: string;
      account_id: string;
      exposure: string;
      public_write: string;
      logging: Setting<LoggingSettings> | null;
      versioning: Setting<VersioningSettings> | null;
    }>(
      `SELECT b.name, b.account_id, b.exposure, b.public_write, s.settings -> 'logging' AS logging,
              s.settings -> 'versioning' AS versioning
         FROM bucket b JOIN bucket_state s ON s.id = b.current_state_id
        WHERE b.name = ANY($1::text[]) AND b.gone_at IS NULL`,
      [bucketNames],
    );
    for (const name of bucketNames) {
      const b = rows.find((r) => r.name === name);
      trailBuckets[name] = b
        ? {
            found: true,
            name,
            accountId: b.account_id,
            logging: b.logging ?? { status: "unknown", reason: "not read" },
            versioning: b.versioning ?? { status: "unknown", reason: "not read" },
            exposure: b.exposure,
            publicWrite: b.public_write,
          }
        : {
            found: false,
            reason:
              "not among the buckets Custody reads (its account is not linked, or it has not been read yet); link the log-archive account to judge it",
          };
    }
  }

  // The alerting chain's reads, all under the trails' owner accounts.
  const owners = [...new Set(trails.map((t) => t.owner_account_id))];
  const [filterRows, alarmRows, topicRows] = await Promise.all([
    pool.query<{ account_id: string; log_group_arn: string; metric_filters: Readable<AlertingMetricFilter[]> }>(
      `SELECT account_id, log_group_arn, metric_filters FROM log_group_metric_filters WHERE account_id = ANY($1::varchar[])`,
      [owners],
    ),
    pool.query<{ account_id: string; region: string; alarms: Readable<AlertingAlarm[]> }>(
      `SELECT account_id, region, alarms FROM metric_alarm_set WHERE account_id = ANY($1::varchar[])`,
      [owners],
    ),
    pool.query<{ account_id: string; topic_arn: string; topic: Readable<AlertingTopic> }>(
      `SELECT account_id, topic_arn, topic FROM sns_topic WHERE account_id = ANY($1::varchar[])`,
      [owners],
    ),
  ]);
  const filtersByGroup = new Map(filterRows.rows.map((r) => [`${r.account_id}|${groupKey(r.log_group_arn)}`, r]));
  const alarmsBy = new Map(alarmRows.rows.map((r) => [`${r.account_id}|${r.region}`, r.alarms]));
  const topics: Record<string, Readable<AlertingTopic>> = {};
  for (const r of topicRows.rows) topics[r.topic_arn] = r.topic;

  const inputs = accounts.map((accountId): AccountControlInput => {
    const rows = trailsOf.get(accountId) ?? [];
    const read = reads.get(accountId);
    const postureTrails: Readable<PostureTrail[]> =
      rows.length === 0 && !read?.ever_ok
        ? {
            ok: false,
            reason: read?.last_error
              ? `CloudTrail could not be read: ${read.last_error}`
              : "CloudTrail has not been read for this account yet",
          }
        : { ok: true, value: rows.map((t) => postureTrail(t, ownerRead.get(t.arn))) };
    return {
      accountId,
      trails: postureTrails,
      trailBuckets,
      alerting: alertingInput(postureTrails, filtersByGroup, alarmsBy, topics),
    };
  });

  const out: { accountId: string; controlId: string; status: string; reason: string; evidence: string }[] = [];
  const failedAccounts: string[] = [];
  for (const input of inputs) {
    try {
      for (const r of evaluateAccountControls(input)) {
        out.push({
          accountId: input.accountId,
          controlId: r.controlId,
          status: r.status,
          reason: r.reason,
          evidence: JSON.stringify(r.evidence),
        });
      }
    } catch (error) {
      // A bug on one account's data must not cost the others their results; this one keeps its last good rows.
      failedAccounts.push(input.accountId);
      logger.error({ err: error, accountId: input.accountId }, "account control evaluation failed");
    }
  }
  const evaluated = [...new Set(out.map((r) => r.accountId))];
  const written = await pool.query<{ n: number }>(
    `WITH u AS (SELECT * FROM unnest($1::varchar[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
                  AS u(account_id, control_id, status, reason, evidence)),
          w AS (
       INSERT INTO account_control_result (account_id, control_id, status, reason, evidence, evaluated_at, sync_run_id)
       SELECT u.account_id, u.control_id, u.status, u.reason, u.evidence, $6, $7::uuid FROM u
       ON CONFLICT (account_id, control_id) DO UPDATE
         SET status = EXCLUDED.status, reason = EXCLUDED.reason, evidence = EXCLUDED.evidence,
             evaluated_at = EXCLUDED.evaluated_at, sync_run_id = EXCLUDED.sync_run_id
       RETURNING 1),
          gone AS (
       DELETE FROM account_control_result r
        WHERE r.account_id = ANY($8::varchar[]) AND NOT EXISTS (
          SELECT 1 FROM u WHERE u.account_id = r.account_id AND u.control_id = r.control_id)),
          -- History (account_control_result_history): the open version of each evaluated account's control closes
          -- when its verdict changed or the control is gone, and a changed or new verdict opens a version. Compared
          -- with the open version, not the row above, so history stays whole even if the two ever differ.
          open_rows AS (
       SELECT h.id, h.account_id, h.control_id, h.status, h.reason, h.evidence
         FROM account_control_result_history h
        WHERE h.valid_to IS NULL AND h.account_id = ANY($8::varchar[])),
          changed AS (
       SELECT u.* FROM u LEFT JOIN open_rows o ON o.account_id = u.account_id AND o.control_id = u.control_id
        WHERE o.id IS NULL OR (o.status, o.reason, o.evidence) IS DISTINCT FROM (u.status, u.reason, u.evidence)),
          closed AS (
       UPDATE account_control_result_history h SET valid_to = $6
         FROM open_rows o
        WHERE h.id = o.id
          AND (EXISTS (SELECT 1 FROM changed c WHERE c.account_id = o.account_id AND c.control_id = o.control_id)
               OR NOT EXISTS (SELECT 1 FROM u WHERE u.account_id = o.account_id AND u.control_id = o.control_id))
       RETURNING 1),
          opened AS (
       INSERT INTO account_control_result_history (account_id, control_id, status, reason, evidence, sync_run_id, valid_from)
       SELECT c.account_id, c.control_id, c.status, c.reason, c.evidence, $7::uuid, $6 FROM changed c
       RETURNING 1)
     SELECT (SELECT count(*) FROM w)::int AS n`,
    [
      out.map((r) => r.accountId),
      out.map((r) => r.controlId),
      out.map((r) => r.status),
      out.map((r) => r.reason),
      out.map((r) => r.evidence),
      now,
      options.syncRunId ?? null,
      evaluated,
    ],
  );
  return { accounts: accounts.length, written: written.rows[0]?.n ?? 0, failedAccounts };
}

function postureTrail(t: TrailRow, owner: TrailRow | undefined): PostureTrail {
  // A trail another account owns (the organisation trail) is judged on its owner's read of it.
  const source = t.status !== null || t.event_selectors !== null ? t : owner;
  const notRead: Readable<never> = {
    ok: false,
    reason: `${t.is_organization_trail ? "organisation trail" : "trail"} owned by account ${t.owner_account_id}, whose read of it is not in Custody (link or sync that account)`,
  };
  return {
    arn: t.arn,
    name: t.name,
    homeRegion: t.home_region,
    ownerAccountId: t.owner_account_id,
    isOrganizationTrail: t.is_organization_trail,
    isMultiRegion: t.is_multi_region,
    logFileValidation: t.log_file_validation,
    s3BucketName: t.s3_bucket_name,
    kmsKeyId: t.kms_key_id,
    logGroupArn: t.cloudwatch_logs_log_group_arn,
    status: source?.status ? { ...source.status } : notRead,
    eventSelectors: source?.event_selectors ?? notRead,
  };
}

function alertingInput(
  trails: Readable<PostureTrail[]>,
  filtersByGroup: Map<string, { metric_filters: Readable<AlertingMetricFilter[]> }>,
  alarmsBy: Map<string, Readable<AlertingAlarm[]>>,
  topics: Record<string, Readable<AlertingTopic>>,
): AlertingInput {
  if (!trails.ok) return { trails, metricFilters: {}, alarms: { ok: true, value: [] }, topics: {} };
  const alertingTrails: AlertingTrail[] = [];
  const metricFilters: Record<string, Readable<AlertingMetricFilter[]>> = {};
  const alarmSets: Readable<AlertingAlarm[]>[] = [];
  const seenRegions = new Set<string>();
  for (const t of trails.value) {
    // Trails whose status or selectors could not be read are left to the control, which says unknown for them.
    if (!t.status.ok || !t.eventSelectors.ok) continue;
    const groupArn = t.logGroupArn;
    alertingTrails.push({
      name: t.name,
      isMultiRegion: t.isMultiRegion,
      isLogging: t.status.value.isLogging,
      recordsManagementWrites: trailRecording(t.eventSelectors.value).managementWrites,
      logGroupArn: groupArn,
    });
    if (!groupArn) continue;
    const filters = filtersByGroup.get(`${t.ownerAccountId}|${groupKey(groupArn)}`);
    metricFilters[groupArn] = filters
      ? filters.metric_filters
      : { ok: false, reason: `not read (account ${t.ownerAccountId} has no metric-filter read of this log group)` };
    const region = regionOfArn(groupArn);
    const key = `${t.ownerAccountId}|${region}`;
    if (seenRegions.has(key)) continue;
    seenRegions.add(key);
    alarmSets.push(
      alarmsBy.get(key) ?? { ok: false, reason: `alarms of account ${t.ownerAccountId} in ${region} not read` },
    );
  }
  const unreadable = alarmSets.find((a): a is { ok: false; reason: string } => !a.ok);
  const alarms: Readable<AlertingAlarm[]> = unreadable
    ? unreadable
    : { ok: true, value: alarmSets.flatMap((a) => (a.ok ? a.value : [])) };
  return { trails: { ok: true, value: alertingTrails }, metricFilters, alarms, topics };
}

/**
 * After a sync run: re-level the buckets whose "CloudTrail log bucket" status changed (a trail read by any account
 * may name a bucket in another), then the account controls of the run's accounts and those depending on them.
 * Never throws: the run is finished; a failure is logged and the last good results stay.
 */
export async function evaluateAccountControlsAfterSync(
  client: Db,
  syncRunId: string,
  syncedAccountIds: string[],
): Promise<void> {
  try {
    const { rows } = await bulkPoolFor(client).query<{ id: number }>(
      `SELECT b.id FROM bucket b
        WHERE b.gone_at IS NULL AND b.level_source <> 'manual' AND b.current_state_id IS NOT NULL
          AND (b.level_source = 'cloudtrail') <> EXISTS (SELECT 1 FROM trail t WHERE t.s3_bucket_name = b.name)`,
    );
    if (rows.length) await evaluateBuckets(client, { id: { in: rows.map((r) => r.id) } });
  } catch (error) {
    logger.error({ err: error, syncRunId }, "re-levelling CloudTrail log buckets after sync failed");
  }
  try {
    const accountIds = await accountsAffectedBy(client, syncedAccountIds);
    await evaluateAccountControlsFor(client, { accountIds, syncRunId });
  } catch (error) {
    logger.error({ err: error, syncRunId }, "account control evaluation after sync failed");
  }
}
