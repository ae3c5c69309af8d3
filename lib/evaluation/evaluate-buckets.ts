/**
 * Evaluation: for each bucket, gather what lib/domain needs (current settings, account settings, manual
 * classification, active waivers, AWS Config verdicts, Macie's view), run `evaluateBucket`, and persist the
 * ControlResults plus the denormalised columns the lists filter and sort on. Runs after every load and whenever
 * the scheme or a waiver changes. Batched by id range, so memory stays flat at 100,000 buckets.
 */
import { bulkPoolFor, withBulkTransaction, type Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import type {
  AccountSettings,
  BucketSettings,
  ConfigVerdict,
  MacieBucketContext,
  Setting,
} from "@/lib/domain/bucket-settings";
import { unknown } from "@/lib/domain/bucket-settings";
import { resolveBucketLevel } from "@/lib/domain/classification/resolve-bucket-level";
import { evaluateBucket } from "@/lib/domain/evaluate-bucket";
import { mapWithConcurrency } from "@/lib/collectors/map-with-concurrency";
import { loadCurrentScheme } from "@/lib/evaluation/scheme-store";

const BATCH = 500;
const BATCHES_IN_FLIGHT = 2;
const RESULT_COLUMNS = [
  "bucket_id",
  "control_id",
  "required",
  "status",
  "observed",
  "reason",
  "evidence",
  "config_verdict",
  "config_compliance",
  "waiver_id",
  "scheme_version",
  "evaluated_at",
] as const;
/** AppSetting `ownerTagKey`: which bucket tag names the owner (matched case-insensitively). */
export const DEFAULT_OWNER_TAG_KEY = "Owner";

async function ownerTagKey(client: Db): Promise<string> {
  const setting = await client.appSetting.findUnique({ where: { key: "ownerTagKey" }, select: { value: true } });
  return typeof setting?.value === "string" && setting.value.trim() !== ""
    ? setting.value.trim()
    : DEFAULT_OWNER_TAG_KEY;
}

function ownerFromTags(tags: Record<string, string>, key: string): string | null {
  const wanted = key.toLowerCase();
  const match = Object.keys(tags)
    .sort()
    .find((k) => k.toLowerCase() === wanted);
  return match === undefined ? null : (tags[match] ?? null);
}

export type MacieRegionStatus = {
  status: "enabled" | "paused" | "disabled" | "unknown";
  reason?: string;
  errorCode?: string;
};

export interface EvaluationSummary {
  evaluated: number;
  schemeVersion: number;
}

export async function trustedAccountIds(client: Db): Promise<string[]> {
  // The organisation's own linked accounts are trusted with cross-account access, plus an explicit allow-list.
  const [accounts, setting] = await Promise.all([
    client.account.findMany({ select: { id: true } }),
    client.appSetting.findUnique({ where: { key: "trustedAccountIds" } }),
  ]);
  const extra = Array.isArray(setting?.value) ? (setting.value as string[]) : [];
  // Sorted: the list goes into control evidence, which must not change when only the rows' storage order does
  // (an evaluation rewrites a verdict only when it differs).
  return [...new Set([...accounts.map((a) => a.id), ...extra])].sort();
}

export function macieSession(
  status: MacieRegionStatus | undefined,
  accountId: string,
  region: string,
): MacieBucketContext["macie"] | null {
  if (!status) return null;
  switch (status.status) {
    case "enabled":
      return { status: "present", value: { status: "ENABLED" } };
    case "paused":
      return { status: "present", value: { status: "PAUSED" } };
    case "disabled":
      return { status: "disabled", reason: status.reason ?? `Macie is not enabled in ${accountId}/${region}` };
    default:
      return {
        status: "unknown",
        reason: status.reason ?? "Macie status could not be read",
        errorCode: status.errorCode,
      };
  }
}

export async function evaluateAccountBuckets(client: Db, accountId: string): Promise<EvaluationSummary> {
  return evaluateBuckets(client, { accountId });
}

export interface EvaluateOptions {
  /** Called after each persisted batch with the running total (progress for background re-evaluations). */
  onBatch?: (evaluated: number) => void | Promise<void>;
  /** Batches of 500 buckets evaluated at once (default 2; bench/reevaluate.ts compares 1 and 2). */
  batchesInFlight?: number;
}

export async function evaluateBuckets(
  client: Db,
  where: Prisma.BucketWhereInput = {},
  options: EvaluateOptions = {},
): Promise<EvaluationSummary> {
  const { version, scheme } = await loadCurrentScheme(client);
  const trusted = await trustedAccountIds(client);
  const ownerKey = await ownerTagKey(client);
  const now = new Date();
  const rankOf = new Map(scheme.levels.map((l) => [l.key, l.rank]));

  // Per account/region context, read once. A sync evaluates one account at a time: then only that account's rows
  // (reading every account's regions and settings for each of 1,000 account jobs made a full sync quadratic).
  const onlyAccount = typeof where.accountId === "string" ? { accountId: where.accountId } : {};
  const regionRows = await client.accountRegion.findMany({
    where: onlyAccount,
    select: { accountId: true, region: true, collector: true, status: true, lastSuccessAt: true },
  });
  const deployedRules = new Map<string, string[] | null>();
  const macieStatus = new Map<string, MacieRegionStatus>();
  for (const r of regionRows) {
    const key = `${r.accountId}/${r.region}`;
    if (r.collector === "config") {
      const s = r.status as { deployedRules?: { sourceIdentifier: string }[] } | null;
      deployedRules.set(
        key,
        r.lastSuccessAt && s?.deployedRules ? s.deployedRules.map((d) => d.sourceIdentifier) : null,
      );
    } else if (r.collector === "macie" && r.status) {
      macieStatus.set(key, r.status as MacieRegionStatus);
    }
  }
  const accountRows = await client.account.findMany({
    where: onlyAccount.accountId ? { id: onlyAccount.accountId } : {},
    select: { id: true, s3AccountSettings: true },
  });
  const accountSettings = new Map(
    accountRows.map((a) => [
      a.id,
      (a.s3AccountSettings as AccountSettings | null) ?? {
        publicAccessBlock: unknown("Account settings have not been read yet") as Setting<never>,
      },
    ]),
  );

  // Which buckets: the Prisma filter is resolved to ids once, then processed in id order in batches.
  const allIds = (
    await client.bucket.findMany({
      where: { ...where, currentStateId: { not: null } },
      select: { id: true },
      orderBy: { id: "asc" },
    })
  ).map((b) => b.id);
  let evaluated = 0;
  let persisted = 0; // progress counts the buckets whose verdicts are committed
  const pool = bulkPoolFor(client);
  const batches: number[][] = [];
  for (let offset = 0; offset < allIds.length; offset += BATCH) batches.push(allIds.slice(offset, offset + BATCH));
  // Two batches in flight: while one batch's verdicts are computed here, the other's rows are read or written in
  // Postgres (one at a time, each side idled while the other worked). Batches hold disjoint buckets and commit
  // separately, so their order does not matter.
  await mapWithConcurrency(batches, options.batchesInFlight ?? BATCHES_IN_FLIGHT, async (batchIds) => {
    const q = async <T>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as T[];
    // Set-based reads: the batch's buckets with settings, manual classification and active waivers, and the
    // Config/Macie rows of exactly those (account, bucket name) pairs — a fixed number of queries per batch.
    const [buckets, waiverRows] = await Promise.all([
      q<{
        id: number;
        name: string;
        arn: string;
        region: string;
        account_id: string;
        settings: BucketSettings;
        manual_level: string | null;
        manual_reason: string | null;
        manual_at: Date | null;
        manual_by: string | null;
      }>(
        `SELECT b.id, b.name, b.arn, b.region, b.account_id, s.settings,
                c.level_key AS manual_level, c.reason AS manual_reason, c.set_at AS manual_at, u.email AS manual_by
           FROM bucket b JOIN bucket_state s ON s.id = b.current_state_id
           LEFT JOIN bucket_classification c ON c.bucket_id = b.id LEFT JOIN app_user u ON u.id = c.set_by_id
          WHERE b.id = ANY($1::int[]) ORDER BY b.id`,
        [batchIds],
      ),
      q<{ id: string; bucket_id: number; control_id: string; expires_at: Date }>(
        `SELECT id, bucket_id, control_id, expires_at FROM waiver
          WHERE bucket_id = ANY($1::int[]) AND status = 'approved' AND expires_at > $2`,
        [batchIds, now],
      ),
    ]);
    if (buckets.length === 0) return;
    const pairArgs = [buckets.map((b) => b.account_id), buckets.map((b) => b.name)];
    const [configRows, findingRows, profileRows, policyFindingRows] = await Promise.all([
      q<{
        account_id: string;
        bucket_name: string;
        region: string;
        source_identifier: string;
        rule_name: string;
        compliance_type: string;
        recorded_at: Date;
        annotation: string | null;
      }>(
        `SELECT c.account_id, c.bucket_name, c.region, c.source_identifier, c.rule_name, c.compliance_type, c.recorded_at, c.annotation
           FROM config_evaluation c JOIN unnest($1::text[], $2::text[]) AS p(account_id, bucket_name)
             ON c.account_id = p.account_id AND c.bucket_name = p.bucket_name`,
        pairArgs,
      ),
      q<{
        account_id: string;
        bucket_name: string;
        severity_score: number;
        sensitive_data_categories: string[];
        detection_types: string[];
      }>(
        `SELECT f.account_id, f.bucket_name, f.severity_score, f.sensitive_data_categories, f.detection_types
           FROM macie_finding f JOIN unnest($1::text[], $2::text[]) AS p(account_id, bucket_name)
             ON f.account_id = p.account_id AND f.bucket_name = p.bucket_name
          WHERE NOT f.archived AND f.category = 'CLASSIFICATION'`,
        pairArgs,
      ),
      q<{
        account_id: string;
        bucket_name: string;
        sensitivity_score: number | null;
        monitoring_status: string | null;
      }>(
        `SELECT m.account_id, m.bucket_name, m.sensitivity_score, m.monitoring_status
           FROM macie_bucket_profile m JOIN unnest($1::text[], $2::text[]) AS p(account_id, bucket_name)
             ON m.account_id = p.account_id AND m.bucket_name = p.bucket_name`,
        pairArgs,
      ),
      // Macie's policy findings (public, shared externally, encryption or BPA disabled…) are counted on their own:
      // they say what Macie saw about access, not what data the bucket holds.
      q<{ account_id: string; bucket_name: string; n: number }>(
        `SELECT f.account_id, f.bucket_name, COUNT(*)::int AS n
           FROM macie_finding f JOIN unnest($1::text[], $2::text[]) AS p(account_id, bucket_name)
             ON f.account_id = p.account_id AND f.bucket_name = p.bucket_name
          WHERE NOT f.archived AND f.category = 'POLICY'
          GROUP BY f.account_id, f.bucket_name`,
        pairArgs,
      ),
    ]);
    const key = (a: string, n: string) => `${a}/${n}`;
    const group = <T extends { account_id: string; bucket_name: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) {
        const k = key(r.account_id, r.bucket_name);
        const list = m.get(k);
        if (list) list.push(r);
        else m.set(k, [r]);
      }
      return m;
    };
    const configBy = group(configRows);
    const findingsBy = group(findingRows);
    const profileBy = new Map(profileRows.map((p) => [key(p.account_id, p.bucket_name), p]));
    const policyFindingsBy = new Map(policyFindingRows.map((p) => [key(p.account_id, p.bucket_name), p.n]));
    const waiversBy = new Map<number, { id: string; controlId: string; expiresAt: Date }[]>();
    for (const w of waiverRows) {
      const list = waiversBy.get(w.bucket_id) ?? [];
      list.push({ id: w.id, controlId: w.control_id, expiresAt: w.expires_at });
      waiversBy.set(w.bucket_id, list);
    }

    // Rows to write, sent as JSON documents (jsonb_to_recordset): evidence, tags and risk terms are objects, and
    // escaping each as text into an array literal cost more in node-postgres than computing the verdicts did.
    const resultRows: {
      bucket_id: number;
      control_id: string;
      required: boolean;
      status: string;
      observed: string;
      reason: string;
      evidence: unknown;
      config_verdict: string | null;
      config_compliance: string | null;
      waiver_id: string | null;
    }[] = [];
    const bucketRows: {
      id: number;
      level: string;
      level_rank: number;
      source: string;
      classified: boolean;
      exposure: string;
      public_write: string;
      risk: number;
      failing: number;
      unknown_count: number;
      waived: number;
      compliant: boolean;
      macie_max: number;
      macie_count: number;
      macie_policy_count: number;
      disagreements: number;
      owner: string | null;
      tags: Record<string, string>;
      risk_terms: unknown;
    }[] = [];

    for (const b of buckets) {
      const settings = b.settings;
      const k = key(b.account_id, b.name);
      const regionKey = `${b.account_id}/${b.region}`;
      const findings = findingsBy.get(k) ?? [];
      const profile = profileBy.get(k);
      const session = macieSession(macieStatus.get(regionKey), b.account_id, b.region);
      const macie: MacieBucketContext | null = session
        ? {
            macie: session,
            sensitiveFindings: {
              count: findings.length,
              maxSeverityScore: Math.max(0, ...findings.map((f) => f.severity_score)),
              categories: [...new Set(findings.flatMap((f) => f.sensitive_data_categories))].sort(),
              types: [...new Set(findings.flatMap((f) => f.detection_types))].sort(),
            },
            sensitivityScore: profile?.sensitivity_score ?? null,
            automatedDiscoveryMonitoringStatus:
              (profile?.monitoring_status as "MONITORED" | "NOT_MONITORED" | null) ?? null,
          }
        : null;
      const configVerdicts: ConfigVerdict[] = (configBy.get(k) ?? [])
        .filter((c) => c.region === b.region)
        .map((c) => ({
          sourceIdentifier: c.source_identifier,
          ruleName: c.rule_name,
          complianceType: c.compliance_type as ConfigVerdict["complianceType"],
          recordedAt: new Date(c.recorded_at).toISOString(),
          annotation: c.annotation,
        }));
      const level = resolveBucketLevel({
        scheme,
        tags: settings.tags,
        manual: b.manual_level
          ? {
              levelKey: b.manual_level,
              by: b.manual_by ?? "unknown user",
              at: b.manual_at ?? now,
              reason: b.manual_reason ?? "",
            }
          : null,
      });
      const evaluation = evaluateBucket({
        scheme,
        schemeVersion: version,
        input: {
          bucket: { name: b.name, arn: b.arn, region: b.region, accountId: b.account_id },
          settings,
          account: accountSettings.get(b.account_id)!,
          macie,
          trustedAccountIds: trusted,
        },
        level,
        waivers: waiversBy.get(b.id) ?? [],
        configVerdicts,
        deployedConfigRules: deployedRules.get(regionKey) ?? null,
        now,
      });

      let failing = 0,
        unknownCount = 0,
        waived = 0,
        disagreements = 0;
      for (const r of evaluation.results) {
        if (r.required && r.status === "fail") failing++;
        if (r.required && r.status === "unknown") unknownCount++;
        if (r.required && r.status === "waived") waived++;
        if (r.config?.verdict === "disagree") disagreements++;
        resultRows.push({
          bucket_id: b.id,
          control_id: r.controlId,
          required: r.required,
          status: r.status,
          observed: r.observed,
          reason: r.reason,
          evidence: r.evidence,
          config_verdict: r.config?.verdict ?? null,
          config_compliance: r.config?.complianceType ?? null,
          waiver_id: r.waiverId ?? null,
        });
      }
      const tags = settings.tags.status === "present" ? settings.tags.value : {};
      bucketRows.push({
        id: b.id,
        level: evaluation.level.levelKey,
        level_rank: rankOf.get(evaluation.level.levelKey) ?? -1,
        source: evaluation.level.source,
        classified: evaluation.level.classified,
        exposure: evaluation.exposure.publicRead.status,
        public_write: evaluation.exposure.publicWrite.status,
        risk: evaluation.risk.score,
        failing,
        unknown_count: unknownCount,
        waived,
        compliant: failing === 0 && unknownCount === 0,
        macie_max: macie?.sensitiveFindings.maxSeverityScore ?? 0,
        macie_count: findings.length,
        macie_policy_count: policyFindingsBy.get(k) ?? 0,
        disagreements,
        owner: ownerFromTags(tags, ownerKey),
        tags,
        risk_terms: evaluation.risk.terms,
      });
      evaluated++;
    }

    // Write the batch in one transaction, and only what changed: a re-sync where nothing changed must write (almost)
    // nothing (issue 7). Rewriting every verdict on every sync rewrote 100,000 bucket rows with their ~20 index
    // entries and ~1.3 M control results per full sync, and doubled the bucket heap that the overview scans.
    // The rows travel as JSON documents rather than through a COPY-staged temp table, whose emptying at commit
    // cost ~10 ms per transaction (one per account in a sync).
    await withBulkTransaction(client, async (tx) => {
      // Results for controls the bucket no longer has (a control left the catalog).
      await tx.query(
        `DELETE FROM control_result cr
          WHERE cr.bucket_id = ANY($1::int[])
            AND (cr.bucket_id, cr.control_id) NOT IN (SELECT * FROM unnest($2::int[], $3::text[]))`,
        [bucketRows.map((b) => b.id), resultRows.map((r) => r.bucket_id), resultRows.map((r) => r.control_id)],
      );
      // What a result says; scheme_version and evaluated_at only say when it was last written. So a scheme change
      // rewrites the results it changes (a level that now requires versioning: that level's versioning results),
      // not all 1.7 M of them (2.3 ms per bucket when every result was rewritten).
      const verdict = RESULT_COLUMNS.filter(
        (c) => c !== "bucket_id" && c !== "control_id" && c !== "evaluated_at" && c !== "scheme_version",
      );
      // Only results whose verdict differs (or that are new) are written; evaluated_at is when a result was last
      // written, so a verdict confirmed by a later evaluation keeps the time it was reached. The comparison is a
      // join in a CTE, not ON CONFLICT … WHERE: that form locks every conflicting row, written or not — a lock
      // per result (heap page dirtied, WAL) made an unchanged account's results cost 150–250 ms per 1,700. ON
      // CONFLICT stays for the rows that are written: a sync's evaluation and a scheme or waiver re-evaluation may
      // overlap on a bucket, and the later one wins.
      await tx.query(
        `WITH fresh AS (
           SELECT u.*, $2::int AS scheme_version
             FROM jsonb_to_recordset($1::jsonb)
               AS u(bucket_id int, control_id text, required boolean, status text, observed text, reason text, evidence jsonb,
                    config_verdict text, config_compliance text, waiver_id uuid)
         )
         INSERT INTO control_result (${RESULT_COLUMNS.join(", ")})
         SELECT f.bucket_id, f.control_id, ${verdict.map((c) => `f.${c}`).join(", ")}, f.scheme_version, $3
           FROM fresh f
           LEFT JOIN control_result cr ON cr.bucket_id = f.bucket_id AND cr.control_id = f.control_id
          WHERE cr.bucket_id IS NULL
             OR (${verdict.map((c) => `cr.${c}`).join(", ")}) IS DISTINCT FROM (${verdict.map((c) => `f.${c}`).join(", ")})
         ON CONFLICT (bucket_id, control_id) DO UPDATE SET ${[...verdict, "scheme_version", "evaluated_at"].map((c) => `${c} = EXCLUDED.${c}`).join(", ")}`,
        [JSON.stringify(resultRows), version, now],
      );
      // The bucket's denormalised verdict, likewise only where it changed (or was never written).
      await tx.query(
        `UPDATE bucket AS b SET
           level_key = u.level, level_source = u.source, classified = u.classified, exposure = u.exposure,
           public_write = u.public_write, risk_score = u.risk, failing_required = u.failing, unknown_required = u.unknown_count,
           waived_required = u.waived, compliant = u.compliant, macie_max_severity = u.macie_max, macie_findings = u.macie_count,
           macie_policy_findings = u.macie_policy_count,
           config_disagreements = u.disagreements, owner_tag = u.owner, tags = u.tags, risk_terms = u.risk_terms,
           level_rank = u.level_rank, evaluated_at = $1, scheme_version = $2
         FROM jsonb_to_recordset($3::jsonb)
           AS u(id int, level text, level_rank int, source text, classified boolean, exposure text, public_write text, risk int,
                failing int, unknown_count int, waived int, compliant boolean, macie_max int, macie_count int, macie_policy_count int,
                disagreements int,
                owner text, tags jsonb, risk_terms jsonb)
         WHERE b.id = u.id
           AND (b.evaluated_at IS NULL
                OR (b.level_key, b.level_source, b.classified, b.exposure, b.public_write, b.risk_score, b.failing_required,
                    b.unknown_required, b.waived_required, b.compliant, b.macie_max_severity, b.macie_findings,
                    b.macie_policy_findings, b.config_disagreements, b.owner_tag, b.tags, b.risk_terms, b.level_rank, b.scheme_version)
                   IS DISTINCT FROM
                   (u.level, u.source, u.classified, u.exposure, u.public_write, u.risk, u.failing, u.unknown_count, u.waived,
                    u.compliant, u.macie_max, u.macie_count, u.macie_policy_count, u.disagreements, u.owner, u.tags, u.risk_terms,
                    u.level_rank, $2::int))`,
        [now, version, JSON.stringify(bucketRows)],
      );
    });
    persisted += buckets.length;
    await options.onBatch?.(persisted);
  });
  // An evaluation of whole accounts confirms every verdict it did not rewrite: record when (the exports' evaluatedAt).
  const keys = Object.keys(where);
  const wholeAccounts =
    keys.length === 0 ? {} : keys.length === 1 && typeof where.accountId === "string" ? { id: where.accountId } : null;
  if (wholeAccounts) await client.account.updateMany({ where: wholeAccounts, data: { evaluatedAt: now } });
  return { evaluated, schemeVersion: version };
}
