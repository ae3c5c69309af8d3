/**
 * Everything `evaluateBucket` needs, assembled in one place for every evaluation: the sync's (after an account is
 * loaded), re-evaluation after a scheme, classification or waiver change, the bucket page's access analysis, and
 * evidence bundles — which re-evaluate as of their snapshot. Both the stored verdicts and a bundle's control matrix
 * therefore come from the same reads and the same assembly; only the point in time differs.
 *
 * "Now" (no snapshot): each bucket's current settings state and manual classification, waivers approved and not
 * expired, the latest scheme version, every stored Config evaluation and open Macie finding.
 * At a snapshot T: the settings state current at T (greatest readAt <= T), the manual classification set by T, the
 * waivers active at T, the scheme version in force at T, and the Config / Macie rows recorded by T. Account-wide S3
 * settings, trusted accounts, Config rule deployment and Macie status have no history: their current values are used
 * (the bundle's manifest says so).
 *
 * Set-based, so it scales to 100,000–1,000,000 buckets: account-wide rows are read once per context, and a page of
 * up to PAGE buckets costs a fixed number of queries (one for the buckets, four for what relates to them), never one
 * per bucket. Each SSE-KMS bucket's key comes from the stored KMS reads (kms_key) in one more query per page:
 * the key owner's own read first (only it can read the key policy), else the bucket account's read. KMS reads have
 * no history: a snapshot uses the current ones, as for account-wide settings.
 * Rows come over the plain node-postgres bulk pool: decoding them through Prisma cost more than
 * evaluating them.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  unknown,
  type AccountSettings,
  type BucketSettings,
  type ConfigVerdict,
  type MacieBucketContext,
  type Setting,
} from "@/lib/domain/bucket-settings";
import {
  bucketKmsKey,
  keyRefToLoad,
  preferredKeyRead,
  type KeyRead,
  type OrganizationContext,
} from "@/lib/domain/kms/bucket-key";
import { resolveBucketLevel, type LevelResolution } from "@/lib/domain/classification/resolve-bucket-level";
import type { ClassificationScheme } from "@/lib/domain/classification/scheme";
import type { EvaluateBucketArgs } from "@/lib/domain/evaluate-bucket";
import { replicaDestinationsFor } from "@/lib/evaluation/replica-destinations";
import { loadCurrentScheme } from "@/lib/evaluation/scheme-store";

/** Buckets per page: per-page queries stay small, and at most a couple of pages are in memory. */
export const PAGE = 500;

/** A point in time to evaluate at: a completed sync run's end, with the scheme version in force then. */
export interface EvaluationSnapshot {
  at: Date;
  schemeVersion: number;
  scheme: ClassificationScheme;
}

export type EvaluationScope =
  /**
   * The buckets matching a filter: a sync's account (`{ accountId }`), the buckets a scheme, classification or
   * waiver change affects, everything (`{}`). When the filter names one account, only that account's account-wide
   * rows are read (a sync evaluates 1,000 accounts one by one).
   */
  | { buckets: Prisma.BucketWhereInput }
  /** An evidence bundle's scope: accounts and OU subtrees (none: the whole estate), then levels (none: all). */
  | { evidence: { accounts: string[]; ous: string[]; levels: string[] } };

/** What identifies a bucket. */
export interface BucketKey {
  id: number;
  name: string;
  region: string;
  accountId: string;
}

/** A bucket as of the context's point in time: the settings state it is evaluated on, and its level. */
export interface BucketToEvaluate extends BucketKey {
  arn: string;
  stateId: number;
  stateHash: string;
  /** ISO 8601, as Date.toISOString() writes it. */
  readAt: string;
  settings: BucketSettings;
  level: LevelResolution;
}

export interface BucketEvaluationInput {
  bucket: BucketToEvaluate;
  args: EvaluateBucketArgs;
  /** Open sensitive-data findings on the bucket, counted even where Macie's status could not be read. */
  sensitiveFindings: number;
}

export interface EvaluationContext {
  scheme: ClassificationScheme;
  schemeVersion: number;
  /** The evaluation's "now": the snapshot's time, or when the context was loaded. */
  at: Date;
  /** The organisation's linked accounts and the `trustedAccountIds` setting, sorted. */
  trustedAccountIds: string[];
  /** The organisation's linked accounts and its id: what "outside the organisation" means. */
  organization: OrganizationContext;
  accountSettings(accountId: string): AccountSettings;
  /**
   * The scope's buckets that have a settings state at the context's time, in id order, in pages of up to PAGE.
   * `settings: false` reads only what identifies them (and their tags when the scope filters by level).
   */
  bucketPages(read: { settings: true }): AsyncGenerator<BucketToEvaluate[]>;
  bucketPages(read: { settings: false }): AsyncGenerator<BucketKey[]>;
  /** The rest of what `evaluateBucket` needs for a page — Config verdicts, Macie's view, waivers — per bucket. */
  inputsFor(page: BucketToEvaluate[]): Promise<BucketEvaluationInput[]>;
  /** A `buckets` scope's bucket ids (those with a settings state), in id order: what `bucketPages` pages through. */
  bucketIds(): Promise<number[]>;
  /** The buckets with these ids that have a settings state, in id order, read as `bucketPages` reads a page. */
  bucketsWithIds(ids: number[]): Promise<BucketToEvaluate[]>;
}

/**
 * What an evaluation split over worker threads holds fixed: each thread loads its own context, with the time and scheme
 * version of the one that started it, so every page is evaluated as of the same moment under the same scheme.
 */
export interface FixedEvaluation {
  at: Date;
  schemeVersion: number;
  scheme: ClassificationScheme;
}

export type MacieRegionStatus = {
  status: "enabled" | "paused" | "disabled" | "unknown";
  reason?: string;
  errorCode?: string;
};

const NOT_READ: AccountSettings = {
  publicAccessBlock: unknown("Account settings have not been read yet") as Setting<never>,
};

/** Postgres formats the timestamp (timestamp(3), UTC) exactly as Date.toISOString() does, whatever the time zone. */
const isoOf = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Parameters $1, $2 of `(account_id, bucket_name) IN (SELECT * FROM unnest($1::text[], $2::text[]))`. */
export const PAIRS_IN = "(account_id, bucket_name) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
export const pairsOf = (page: BucketKey[]) => [page.map((b) => b.accountId), page.map((b) => b.name)];
const keyOf = (accountId: string, bucketName: string) => `${accountId}/${bucketName}`;

/** Rows grouped by a key in one pass. */
function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export async function trustedAccountIds(client: Db): Promise<string[]> {
  return (await trustAndOrganization(client)).trusted;
}

/**
 * The organisation's own linked accounts are trusted with cross-account access, plus an explicit allow-list. The
 * organisation itself is its linked accounts; its id (for aws:PrincipalOrgID) is the o-… entry of the allow-list,
 * since discovery does not read it.
 */
type TrustAndOrganization = { trusted: string[]; organization: OrganizationContext };

/**
 * The lists per client, with the stamp they were read at: a sync of 10,000 accounts evaluates account by account, and
 * reading 10,000 account ids per account job was 10⁸ ids per sync (issue 19). Each evaluation now reads only the
 * stamp, and the lists again when it moved. The stamp is the version of the set of accounts — one row that a trigger
 * moves when accounts are inserted or deleted (migration account_set_version), not the accounts' latest update, which
 * every account job moves (its sync status, account settings and evaluation time) — and the allow-list's last update.
 * Should that row ever be missing, the stamp falls back to a summary of the ids (their number, a sum of their hashes,
 * the newest creation), which reads every account but never goes stale.
 */
const trustMemo = new WeakMap<object, { stamp: string; value: TrustAndOrganization }>();

export async function trustAndOrganization(client: Db): Promise<TrustAndOrganization> {
  const [row] = await bulkPoolFor(client)
    .query<{ stamp: string }>(
      `SELECT concat_ws('/',
                COALESCE((SELECT 'v' || version FROM account_set_version),
                         (SELECT concat_ws('/', count(*), sum(hashtext(id)::bigint), max(created_at)) FROM account)),
                (SELECT updated_at FROM app_setting WHERE key = 'trustedAccountIds')) AS stamp`,
    )
    .then((r) => r.rows);
  const held = trustMemo.get(client);
  if (held && row && held.stamp === row.stamp) return held.value;
  const value = await readTrustAndOrganization(client);
  if (row) trustMemo.set(client, { stamp: row.stamp, value });
  return value;
}

/**
 * Over the bulk pool, not Prisma: the evidence bundle's worker thread reads these, and a Prisma query there would load
 * the query compiler (docs/performance.md: the evidence worker peaked 9 MB lower and finished 0.7 s sooner without it).
 */
async function readTrustAndOrganization(client: Db): Promise<TrustAndOrganization> {
  const pool = bulkPoolFor(client);
  const [accounts, setting] = await Promise.all([
    pool.query<{ id: string }>("SELECT id FROM account").then((r) => r.rows),
    pool
      .query<{ value: unknown }>("SELECT value FROM app_setting WHERE key = 'trustedAccountIds'")
      .then((r) => r.rows[0]),
  ]);
  const extra = Array.isArray(setting?.value) ? (setting.value as string[]) : [];
  // Sorted: the list goes into control evidence, which must not change when only the rows' storage order does
  // (an evaluation rewrites a verdict only when it differs).
  const linked = accounts.map((a) => a.id).sort();
  return {
    trusted: [...new Set([...linked, ...extra])].sort(),
    organization: { accountIds: linked, organizationId: extra.find((id) => id.startsWith("o-")) ?? null },
  };
}

type KeyRow = {
  ref_account: string;
  ref: string;
  read_by_account_id: string;
  region: string;
  key_ref: string;
  arn: string | null;
  owner_account_id: string | null;
  metadata: KeyRead["metadata"];
  policy: KeyRead["policy"];
  rotation: KeyRead["rotation"];
  aliases: string[];
  read_at: string;
};

/**
 * The stored reads of the keys a page's buckets name, by "account/keyRef": the bucket account's own read of the
 * reference, and the key owner's read (found by the ARN the reference is or resolved to). One query per page.
 */
export async function keyReadsFor(client: Db, refs: { accountId: string; region: string; keyRef: string }[]) {
  const byRef = new Map<string, KeyRead[]>();
  if (refs.length === 0) return byRef;
  const cols = `k.read_by_account_id, k.region, k.key_ref, k.arn, k.owner_account_id, k.metadata, k.policy, k.rotation, k.aliases, ${isoOf("k.read_at")} AS read_at`;
  const { rows } = await bulkPoolFor(client).query<KeyRow>(
    `WITH r AS (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[]) AS r(account_id, region, key_ref)),
          own AS (
            SELECT r.account_id AS ref_account, r.key_ref AS ref, ${cols}
              FROM r JOIN kms_key k ON k.read_by_account_id = r.account_id AND k.key_ref = r.key_ref
             WHERE k.key_ref LIKE 'arn:%' OR k.region = r.region)
     SELECT * FROM own
     UNION ALL
     SELECT own.ref_account, own.ref, ${cols.replaceAll("k.", "o.")}
       FROM own JOIN kms_key o ON o.arn = own.arn AND o.read_by_account_id = o.owner_account_id
      WHERE o.read_by_account_id <> own.read_by_account_id
     UNION ALL
     SELECT r.account_id, r.key_ref, ${cols.replaceAll("k.", "o.")}
       FROM r JOIN kms_key o ON o.arn = r.key_ref AND o.read_by_account_id = o.owner_account_id
      WHERE o.read_by_account_id <> r.account_id`,
    [refs.map((r) => r.accountId), refs.map((r) => r.region), refs.map((r) => r.keyRef)],
  );
  const seen = new Set<string>();
  for (const row of rows) {
    const k = `${row.ref_account}/${row.ref}`;
    const id = `${k}|${row.read_by_account_id}|${row.region}|${row.key_ref}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const read: KeyRead = {
      readByAccountId: row.read_by_account_id,
      region: row.region,
      keyRef: row.key_ref,
      arn: row.arn,
      ownerAccountId: row.owner_account_id,
      metadata: row.metadata,
      policy: row.policy,
      rotation: row.rotation,
      aliases: row.aliases,
      readAt: row.read_at,
    };
    const list = byRef.get(k);
    if (list) list.push(read);
    else byRef.set(k, [read]);
  }
  return byRef;
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

export interface WaiverRow {
  id: string;
  bucketId: number;
  controlId: string;
  reason: string;
  owner: string;
  expiresAt: Date;
  proposedAt: Date;
  decidedAt: Date | null;
}

/**
 * The waivers that turn a failing required control into "waived" at `at`: now, those approved and not expired; at a
 * snapshot, those approved by then, not expired and not ended (revoked, expired) by then. In bucket, control, id
 * order.
 */
export async function activeWaivers(
  client: Db,
  bucketIds: number[],
  { at, snapshot }: { at: Date; snapshot: boolean },
): Promise<WaiverRow[]> {
  const when = snapshot
    ? `status IN ('approved', 'revoked', 'expired') AND decided_at <= $2 AND expires_at > $2 AND (ended_at IS NULL OR ended_at > $2)`
    : `status = 'approved' AND expires_at > $2`;
  const { rows } = await bulkPoolFor(client).query(
    `SELECT id, bucket_id AS "bucketId", control_id AS "controlId", reason, owner, expires_at AS "expiresAt",
            proposed_at AS "proposedAt", decided_at AS "decidedAt"
       FROM waiver WHERE bucket_id = ANY($1::int[]) AND ${when}
      ORDER BY bucket_id, control_id, id`,
    [bucketIds, at],
  );
  return rows as WaiverRow[];
}

type BucketRow = {
  id: number;
  name: string;
  arn: string;
  region: string;
  account_id: string;
  state_id: number;
  hash: string;
  read_at: string;
  settings: BucketSettings | null;
  tags: BucketSettings["tags"] | null;
  m_level: string | null;
  m_reason: string | null;
  m_set_at: string | null;
  m_email: string | null;
  trail_names: string[] | null;
};

type RegionRow = { account_id: string; region: string; collector: string; status: unknown; has_success: boolean };
const REGION_ROWS_SQL =
  "SELECT account_id, region, collector, status, last_success_at IS NOT NULL AS has_success FROM account_region";
type AccountRow = { id: string; s3_account_settings: AccountSettings | null };
const ACCOUNT_ROWS_SQL = "SELECT id, s3_account_settings FROM account";

export async function loadEvaluationContext(
  client: Db,
  scope: EvaluationScope,
  snapshot?: EvaluationSnapshot,
  fixed?: FixedEvaluation,
): Promise<EvaluationContext> {
  const pool = bulkPoolFor(client);
  const query = async <T>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as T[];
  const onlyAccount =
    "buckets" in scope && typeof scope.buckets.accountId === "string" ? scope.buckets.accountId : undefined;
  const [stored, { trusted, organization }, regionRows, accountRows] = await Promise.all([
    snapshot
      ? { version: snapshot.schemeVersion, scheme: snapshot.scheme }
      : fixed
        ? { version: fixed.schemeVersion, scheme: fixed.scheme }
        : loadCurrentScheme(client),
    trustAndOrganization(client),
    // Plain SQL: these run once per account job in a sync (through Prisma ≈ 1 ms of worker CPU each).
    onlyAccount
      ? query<RegionRow>(`${REGION_ROWS_SQL} WHERE account_id = $1`, [onlyAccount])
      : query<RegionRow>(REGION_ROWS_SQL, []),
    onlyAccount
      ? query<AccountRow>(`${ACCOUNT_ROWS_SQL} WHERE id = $1`, [onlyAccount])
      : query<AccountRow>(ACCOUNT_ROWS_SQL, []),
  ]);
  const { scheme, version: schemeVersion } = stored;
  const at = snapshot?.at ?? fixed?.at ?? new Date();

  // Per account/region: the Config rules deployed (null: Config's state is unknown) and Macie's status.
  const deployedRules = new Map<string, string[] | null>();
  const macieStatus = new Map<string, MacieRegionStatus>();
  for (const r of regionRows) {
    const key = `${r.account_id}/${r.region}`;
    if (r.collector === "config") {
      const s = r.status as { deployedRules?: { sourceIdentifier: string }[] } | null;
      deployedRules.set(key, r.has_success && s?.deployedRules ? s.deployedRules.map((d) => d.sourceIdentifier) : null);
    } else if (r.collector === "macie" && r.status) {
      macieStatus.set(key, r.status as MacieRegionStatus);
    }
  }
  const accounts = new Map(accountRows.map((a) => [a.id, a.s3_account_settings ?? NOT_READ]));
  const accountSettings = (accountId: string) => accounts.get(accountId) ?? NOT_READ;

  /** One page of buckets: by id (a filter's buckets) or the next keyset page of the evidence scope after `after`. */
  async function readBuckets(
    which: { ids: number[] } | { after: number },
    read: { settings: boolean },
  ): Promise<{ rows: BucketRow[]; page: (BucketToEvaluate | BucketKey)[] }> {
    const levels = "evidence" in scope ? scope.evidence.levels : [];
    const needLevel = read.settings || levels.length > 0;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const T = snapshot ? param(at.toISOString()) : null;
    const stateColumns = read.settings
      ? "s.settings, NULL::jsonb AS tags"
      : needLevel
        ? "NULL::jsonb AS settings, s.settings -> 'tags' AS tags"
        : "NULL::jsonb AS settings, NULL::jsonb AS tags";
    const state = T
      ? `JOIN LATERAL (SELECT id, hash, read_at, settings FROM bucket_state WHERE bucket_id = b.id AND read_at <= ${T}::timestamp ORDER BY read_at DESC, id DESC LIMIT 1) s ON true`
      : "JOIN bucket_state s ON s.id = b.current_state_id";
    let where: string;
    let join = "";
    let limit = "";
    if ("ids" in which) {
      where = `b.id = ANY(${param(which.ids)}::int[])`;
    } else {
      const evidence = "evidence" in scope ? scope.evidence : { accounts: [], ous: [] };
      where = `b.id > ${param(which.after)} AND (b.gone_at IS NULL OR b.gone_at > ${T ?? param(at.toISOString())}::timestamp)`;
      if (evidence.accounts.length) where += ` AND b.account_id = ANY(${param(evidence.accounts)}::varchar[])`;
      if (evidence.ous.length) {
        join = "JOIN account a ON a.id = b.account_id";
        where += ` AND EXISTS (SELECT 1 FROM unnest(${param(evidence.ous)}::text[]) o WHERE a.ou_path = o OR a.ou_path LIKE o || '/%')`;
      }
      limit = `LIMIT ${param(PAGE)}`;
    }
    const rows = await query<BucketRow>(
      `SELECT b.id, b.name, b.arn, b.region, b.account_id, s.id AS state_id, s.hash, ${isoOf("s.read_at")} AS read_at, ${stateColumns},
              c.level_key AS m_level, c.reason AS m_reason, ${isoOf("c.set_at")} AS m_set_at, u.email AS m_email,
              ${needLevel ? "(SELECT array_agg(DISTINCT t.name ORDER BY t.name) FROM trail t WHERE t.s3_bucket_name = b.name)" : "NULL::text[]"} AS trail_names
         FROM bucket b
         ${join}
         ${state}
         LEFT JOIN bucket_classification c ON c.bucket_id = b.id ${T ? `AND c.set_at <= ${T}::timestamp` : ""}
         LEFT JOIN app_user u ON u.id = c.set_by_id
        WHERE ${where}
        ORDER BY b.id
        ${limit}`,
      params,
    );
    const page: (BucketToEvaluate | BucketKey)[] = [];
    for (const r of rows) {
      const key: BucketKey = { id: r.id, name: r.name, region: r.region, accountId: r.account_id };
      if (!needLevel) {
        page.push(key);
        continue;
      }
      const manual = r.m_level
        ? { levelKey: r.m_level, by: r.m_email ?? "deleted user", at: r.m_set_at!, reason: r.m_reason ?? "" }
        : null;
      const level = resolveBucketLevel({
        scheme,
        tags: r.settings ? r.settings.tags : r.tags!,
        manual,
        trailLogOf: r.trail_names,
      });
      if (levels.length && !levels.includes(level.levelKey)) continue;
      page.push(
        read.settings
          ? {
              ...key,
              arn: r.arn,
              stateId: r.state_id,
              stateHash: r.hash.trim(),
              readAt: r.read_at,
              settings: r.settings!,
              level,
            }
          : key,
      );
    }
    return { rows, page };
  }

  async function bucketIds(): Promise<number[]> {
    if (!("buckets" in scope)) throw new Error("bucketIds: only a scope of buckets is resolved to ids");
    // The filter is resolved to ids once (an index-only read), then read in id order, a page at a time.
    return onlyAccount !== undefined && Object.keys(scope.buckets).length === 1
      ? (
          await query<{ id: number }>(
            "SELECT id FROM bucket WHERE account_id = $1 AND current_state_id IS NOT NULL ORDER BY id",
            [onlyAccount],
          )
        ).map((b) => b.id)
      : (
          await client.bucket.findMany({
            where: { ...scope.buckets, currentStateId: { not: null } },
            select: { id: true },
            orderBy: { id: "asc" },
          })
        ).map((b) => b.id);
  }

  async function* bucketPages(read: { settings: boolean }): AsyncGenerator<(BucketToEvaluate | BucketKey)[]> {
    if ("buckets" in scope) {
      const ids = await bucketIds();
      for (let offset = 0; offset < ids.length; offset += PAGE) {
        const { page } = await readBuckets({ ids: ids.slice(offset, offset + PAGE) }, read);
        if (page.length) yield page;
      }
      return;
    }
    for (let after = 0; ;) {
      const { rows, page } = await readBuckets({ after }, read);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      if (page.length) yield page;
    }
  }

  async function inputsFor(page: BucketToEvaluate[]): Promise<BucketEvaluationInput[]> {
    if (page.length === 0) return [];
    const pairs = pairsOf(page);
    const byT = snapshot ? [...pairs, at.toISOString()] : pairs;
    const keyRefs = page.flatMap((b) => {
      const keyRef = keyRefToLoad(b.settings.encryption);
      return keyRef ? [{ accountId: b.accountId, region: b.region, keyRef }] : [];
    });
    const [configRows, findingRows, profileRows, waivers, keyReads, replicaDestinations] = await Promise.all([
      query<{
        account_id: string;
        bucket_name: string;
        region: string;
        source_identifier: string;
        rule_name: string;
        compliance_type: string;
        recorded_at: string;
        annotation: string | null;
      }>(
        `SELECT account_id, bucket_name, region, source_identifier, rule_name, compliance_type, ${isoOf("recorded_at")} AS recorded_at, annotation
           FROM config_evaluation WHERE ${PAIRS_IN} ${snapshot ? "AND recorded_at <= $3::timestamp" : ""}`,
        byT,
      ),
      query<{
        account_id: string;
        bucket_name: string;
        severity_score: number;
        sensitive_data_categories: string[];
        detection_types: string[];
      }>(
        `SELECT account_id, bucket_name, severity_score, sensitive_data_categories, detection_types
           FROM macie_finding WHERE ${PAIRS_IN} AND category = 'CLASSIFICATION' AND NOT archived ${snapshot ? "AND created_at <= $3::timestamp" : ""}`,
        byT,
      ),
      query<{
        account_id: string;
        bucket_name: string;
        sensitivity_score: number | null;
        monitoring_status: string | null;
      }>(
        `SELECT account_id, bucket_name, sensitivity_score, monitoring_status FROM macie_bucket_profile WHERE ${PAIRS_IN}`,
        pairs,
      ),
      activeWaivers(
        client,
        page.map((b) => b.id),
        { at, snapshot: snapshot !== undefined },
      ),
      keyReadsFor(client, keyRefs),
      replicaDestinationsFor(pool, page, snapshot ? at : null),
    ]);
    const configBy = groupBy(configRows, (c) => keyOf(c.account_id, c.bucket_name));
    const findingsBy = groupBy(findingRows, (f) => keyOf(f.account_id, f.bucket_name));
    const profileBy = new Map(profileRows.map((p) => [keyOf(p.account_id, p.bucket_name), p]));
    const waiversBy = groupBy(waivers, (w) => w.bucketId);

    return page.map((b) => {
      const k = keyOf(b.accountId, b.name);
      const keyRef = keyRefToLoad(b.settings.encryption);
      const regionKey = `${b.accountId}/${b.region}`;
      const findings = findingsBy.get(k) ?? [];
      const profile = profileBy.get(k);
      const session = macieSession(macieStatus.get(regionKey), b.accountId, b.region);
      let maxSeverityScore = 0;
      for (const f of findings) if (f.severity_score > maxSeverityScore) maxSeverityScore = f.severity_score;
      const macie: MacieBucketContext | null = session
        ? {
            macie: session,
            sensitiveFindings: {
              count: findings.length,
              maxSeverityScore,
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
          recordedAt: c.recorded_at,
          annotation: c.annotation,
        }));
      return {
        bucket: b,
        sensitiveFindings: findings.length,
        args: {
          scheme,
          schemeVersion,
          input: {
            bucket: { name: b.name, arn: b.arn, region: b.region, accountId: b.accountId },
            settings: b.settings,
            account: accountSettings(b.accountId),
            macie,
            trustedAccountIds: trusted,
            replicaDestinations,
            organization,
            kmsKey: keyRef
              ? bucketKmsKey(
                  keyRef,
                  b.accountId,
                  preferredKeyRead(keyReads.get(keyOf(b.accountId, keyRef)) ?? [], b.accountId),
                  organization,
                )
              : null,
          },
          level: b.level,
          waivers: (waiversBy.get(b.id) ?? []).map((w) => ({
            id: w.id,
            controlId: w.controlId,
            expiresAt: w.expiresAt,
          })),
          configVerdicts,
          deployedConfigRules: deployedRules.get(regionKey) ?? null,
          now: at,
        },
      };
    });
  }

  return {
    scheme,
    schemeVersion,
    at,
    trustedAccountIds: trusted,
    organization,
    accountSettings,
    bucketPages: bucketPages as EvaluationContext["bucketPages"],
    inputsFor,
    bucketIds,
    bucketsWithIds: async (ids) =>
      ids.length === 0 ? [] : ((await readBuckets({ ids }, { settings: true })).page as BucketToEvaluate[]),
  };
}
