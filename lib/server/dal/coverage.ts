import "server-only";
/**
 * The manager's coverage view: per account, OU or owner, how many buckets carry a classification and how many meet
 * everything their level requires — one GROUP BY over the maintained counters, which the tests hold equal to the
 * bucket list's own where-clause (so drill-down links show the same numbers) — and the trend from the daily
 * aggregates (CoverageDaily).
 */
import { Prisma } from "@/lib/generated/prisma/client";
import {
  ACCOUNT_CONTROL_CATALOG,
  BROKEN_CHAIN_CONTROL_ID,
  BROKEN_TRAIL_CONTROL_ID,
} from "@/lib/domain/account-controls/catalog";
import type { BucketFilters } from "@/lib/schemas/bucket-query";
import { COVERAGE_GROUPS_PER_PAGE, type CoverageQuery } from "@/lib/schemas/coverage-query";
import { db } from "@/lib/server/db";
import { currentLevels } from "@/lib/server/dal/buckets";
import { countThirdParties } from "@/lib/server/dal/third-parties";
import { authorize, type Actor } from "@/lib/server/permissions";
import { BUCKET_TALLY_ROWS, tallyRowsFor, tallyScopeSql } from "@/lib/server/sql/tally";

export interface CoverageGroup {
  /** Account id, OU path or owner tag value; null = buckets without an owner tag. */
  key: string | null;
  label: string;
  /** The bucket view for this group (the drill-down's base filters). */
  view: BucketFilters;
  buckets: number;
  classified: number;
  compliant: number;
  waived: number;
  failingByLevel: Record<string, number>;
  failing: number;
  /** Buckets someone outside the organisation can effectively read or write (bucket.outside_reach). */
  reachable: number;
  /** By account: the account's latest sync did not complete (failed, partial, or never ran) — with why. */
  readProblem: IncompleteAccount | null;
}

/**
 * One level of the scheme, now: how many buckets are classified to it (by hand, or by their tag), and how many sit at
 * it only because nothing classifies them (the scheme's fallback level, High by default). Kept apart because a
 * "share classified" per level reads wrong: every bucket below the fallback is classified by definition, and the
 * fallback level mixes both.
 */
export interface LevelClassification {
  key: string;
  name: string;
  manual: number;
  /** Classified automatically as a CloudTrail log bucket (level source "cloudtrail"). */
  cloudtrail: number;
  tag: number;
  unclassified: number;
}

export interface IncompleteAccount {
  id: string;
  name: string;
  /** failed | partial | never */
  status: string;
  error: string | null;
  lastSuccessAt: Date | null;
}

/**
 * Linked accounts of the scope whose latest sync did not complete: their buckets are counted as last read (or not
 * at all when never read), so every percentage over them carries this caveat. An owner scope may hold buckets of any
 * account, so it lists them all.
 */
export async function incompleteAccounts(
  actor: Actor | null,
  scope: Pick<BucketFilters, "account" | "ou">,
): Promise<IncompleteAccount[]> {
  authorize(actor, "coverage:read");
  const rows = await db().account.findMany({
    where: {
      enabled: true,
      lastSyncStatus: { in: ["failed", "partial", "never"] },
      ...(scope.account ? { id: scope.account } : {}),
      ...(scope.ou ? { ouPath: scope.ou } : {}),
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, lastSyncStatus: true, lastError: true, lastSuccessAt: true },
  });
  return rows.map((a) => ({
    id: a.id,
    name: a.name,
    status: a.lastSyncStatus,
    error: a.lastError,
    lastSuccessAt: a.lastSuccessAt,
  }));
}

/** The scope a coverage page is limited to (one of account / OU / owner), as bucket filters. */
export function coverageScope(query: Pick<CoverageQuery, "account" | "ou" | "owner">): BucketFilters {
  if (query.account) return { account: query.account };
  if (query.ou) return { ou: query.ou };
  if (query.owner) return { owner: query.owner };
  return {};
}

/** A group with nothing counted yet (its rows add to it; an account never read keeps it at 0). */
function emptyGroup(
  key: string | null,
  label: string,
  view: BucketFilters,
  readProblem: IncompleteAccount | null,
): CoverageGroup {
  const zero = { buckets: 0, classified: 0, compliant: 0, waived: 0, failing: 0, reachable: 0 };
  return { key, label, view, ...zero, failingByLevel: {}, readProblem };
}

/**
 * Coverage grouped by account, OU or owner: the totals of the scope, the level table, and one page of the groups,
 * largest first (`query.page`, `pageSize` each). Only that page's groups are read and built, so 10,000 accounts are
 * ranked in Postgres, not transferred and sorted in Node. `groupCount` counts every group.
 */
export async function getCoverage(
  actor: Actor | null,
  query: CoverageQuery,
  { pageSize = COVERAGE_GROUPS_PER_PAGE }: { pageSize?: number } = {},
) {
  authorize(actor, "coverage:read");
  const client = db();
  const scope = coverageScope(query);
  // From the maintained counters (lib/server/sql/tally.ts): a few rows per account, not a scan of every bucket — the
  // per-(account, level) rollup unless grouped or scoped by owner. The account table only to group by OU, and to
  // name (and rank by name) the accounts of a grouping by account.
  const groupExpr =
    query.by === "account"
      ? Prisma.sql`t.account_id`
      : query.by === "ou"
        ? Prisma.sql`a.ou_path`
        : Prisma.sql`CASE WHEN t.has_owner THEN t.owner_tag END`;
  const labelExpr =
    query.by === "account"
      ? Prisma.sql`COALESCE(an.name, top.k)`
      : query.by === "ou"
        ? Prisma.sql`COALESCE(NULLIF(top.k, ''), '(no OU)')`
        : Prisma.sql`COALESCE(NULLIF(top.k, ''), '(no owner tag)')`;
  // An account that could never be read has no buckets, so no group: read first, so that it is not left out.
  const incomplete = await incompleteAccounts(actor, scope);
  const offset = (query.page - 1) * pageSize;
  const [levels, rows, levelSources] = await Promise.all([
    currentLevels(actor),
    client.$queryRaw<
      {
        k: string | null;
        label: string | null;
        rank: bigint | null;
        level_key: string | null;
        buckets: bigint;
        classified: bigint;
        compliant: bigint;
        waived: bigint;
        failing: bigint;
        reachable: bigint;
        groups: bigint;
        incomplete_with_buckets: string[] | null;
      }[]
    >`
      -- One pass over the counter rows of the scope: per group (k; NULL for no owner tag) and level, the sums shown.
      WITH g AS (
        SELECT ${groupExpr} AS k, NULLIF(t.level_key, '') AS level_key, SUM(t.buckets) AS buckets,
               SUM(t.outside_reachable) AS reachable, SUM(t.classified) AS classified, SUM(t.compliant) AS compliant,
               SUM(t.waived) AS waived, SUM(t.failing) AS failing
          FROM ${query.by === "owner" ? BUCKET_TALLY_ROWS : tallyRowsFor(scope)} t
               ${query.by === "ou" ? Prisma.sql`JOIN account a ON a.id = t.account_id` : Prisma.empty}
         WHERE ${tallyScopeSql(scope)}
         GROUP BY 1, 2
        HAVING SUM(t.buckets) > 0
      ), ranked AS (
        SELECT k, SUM(buckets) AS buckets FROM g GROUP BY k
      ), top AS (
        -- Largest first, the order the page shows (groups are built in the order their rows arrive); a tie by key,
        -- compared bytewise ("C": no locale collation over 10,000 keys). Names only for the page's groups.
        SELECT k, row_number() OVER (ORDER BY buckets DESC, k COLLATE "C") AS rank
          FROM ranked ORDER BY rank LIMIT ${pageSize} OFFSET ${offset}
      ), meta AS (
        SELECT (SELECT count(*) FROM ranked) AS groups,
               (SELECT array_agg(k) FROM ranked WHERE k = ANY(${incomplete.map((a) => a.id)}::text[])) AS incomplete_with_buckets
      )
      -- The count comes with every row, and alone (page columns NULL) when the page holds no group with buckets.
      SELECT page.*, meta.groups, meta.incomplete_with_buckets
        FROM meta LEFT JOIN (
          SELECT g.*, top.rank, ${labelExpr} AS label
            FROM top JOIN g ON COALESCE('=' || g.k, '') = COALESCE('=' || top.k, '') -- k is NULL for no owner tag
                 ${query.by === "account" ? Prisma.sql`LEFT JOIN account an ON an.id = top.k` : Prisma.empty}
        ) page ON true
       ORDER BY page.rank`,
    client.$queryRaw<
      {
        level_key: string | null;
        buckets: bigint;
        classified: bigint;
        manual: bigint;
        cloudtrail: bigint;
        compliant: bigint;
        waived: bigint;
        failing: bigint;
        reachable: bigint;
      }[]
    >`
      SELECT NULLIF(t.level_key, '') AS level_key, SUM(t.buckets) AS buckets, SUM(t.classified) AS classified,
             SUM(t.classified_manual) AS manual, SUM(t.classified_cloudtrail) AS cloudtrail,
             SUM(t.compliant) AS compliant, SUM(t.waived) AS waived, SUM(t.failing) AS failing,
             SUM(t.outside_reachable) AS reachable
        FROM ${tallyRowsFor(scope)} t
       WHERE ${tallyScopeSql(scope)}
       GROUP BY 1`,
  ]);
  const byLevel: LevelClassification[] = levels.map((l) => ({
    key: l.key,
    name: l.name,
    manual: 0,
    cloudtrail: 0,
    tag: 0,
    unclassified: 0,
  }));
  // The scope's totals: every bucket of it, whichever groups are shown.
  const total = { buckets: 0, classified: 0, compliant: 0, waived: 0, failing: 0, reachable: 0 };
  for (const r of levelSources) {
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += Number(r[k]);
    const level = byLevel.find((l) => l.key === r.level_key);
    if (!level) continue; // not evaluated yet: no level to show it under
    const [manual, cloudtrail, classified] = [Number(r.manual), Number(r.cloudtrail), Number(r.classified)];
    level.manual += manual;
    level.cloudtrail += cloudtrail;
    level.tag += classified - manual - cloudtrail; // classified by neither hand nor CloudTrail: by its tag
    level.unclassified += Number(r.buckets) - classified;
  }
  const problemOf = new Map(incomplete.map((a) => [a.id, a]));
  const groups = new Map<string, CoverageGroup>();
  for (const r of rows) {
    if (r.rank === null) continue; // the count alone: no group with buckets on this page
    const id = r.k ?? "\u0000none";
    let g = groups.get(id);
    if (!g) {
      const view: BucketFilters =
        query.by === "account"
          ? { ...scope, account: r.k ?? undefined }
          : query.by === "ou"
            ? { ...scope, ou: r.k || undefined }
            : r.k === null
              ? { ...scope, unowned: true }
              : { ...scope, owner: r.k };
      const readProblem = query.by === "account" ? (problemOf.get(r.k ?? "") ?? null) : null;
      g = emptyGroup(r.k, r.label ?? "", view, readProblem);
      groups.set(id, g);
    }
    g.buckets += Number(r.buckets);
    g.classified += Number(r.classified);
    g.compliant += Number(r.compliant);
    g.waived += Number(r.waived);
    g.failing += Number(r.failing);
    g.reachable += Number(r.reachable);
    if (r.level_key) g.failingByLevel[r.level_key] = (g.failingByLevel[r.level_key] ?? 0) + Number(r.failing);
  }
  const list = [...groups.values()];
  const ranked = Number(rows[0]?.groups ?? 0);
  let groupCount = ranked;
  // By account, an account whose sync never completed and that has no bucket must not vanish from the list: it is
  // a group of 0 buckets, ranked after every group with buckets (by name), with its failure.
  if (query.by === "account") {
    const withBuckets = new Set(rows[0]?.incomplete_with_buckets ?? []);
    const empty = incomplete.filter((a) => !withBuckets.has(a.id));
    groupCount += empty.length;
    const from = Math.max(0, offset - ranked);
    for (const a of empty.slice(from, from + pageSize - list.length)) {
      list.push(emptyGroup(a.id, a.name, { ...scope, account: a.id }, a));
    }
  }
  const pages = Math.max(1, Math.ceil(groupCount / pageSize));
  return { by: query.by, scope, levels, byLevel, groups: list, groupCount, page: query.page, pages, total, incomplete };
}

export interface AccountControlCoverage {
  id: string;
  title: string;
  pass: number;
  fail: number;
  unknown: number;
  /** Accounts with no stored verdict for it (never evaluated). */
  missing: number;
}

export interface AccountPostureGroup {
  accounts: number;
  /** Accounts whose trail logs in every region and whose bucket-change alerting chain is whole (both pass). */
  complete: number;
  /** Accounts failing at least one account control. */
  failing: number;
}

/**
 * Account posture over the coverage scope (`account_control_result`, as /account-posture shows it): per account
 * control how many linked accounts pass, fail or are unknown, and per group (by account or OU) how many accounts
 * have a complete trail and alerting chain. An OU counts its accounts with those of the OUs below it — the Account
 * posture page's OU filter, which the links open. Account posture is per account, so an owner scope has none (null).
 */
export async function getAccountPostureCoverage(
  actor: Actor | null,
  query: CoverageQuery,
  /** By account: the accounts whose group is shown (the page of groups); `byGroup` holds only those. */
  { shownAccounts }: { shownAccounts?: readonly string[] } = {},
) {
  authorize(actor, "posture:read");
  if (query.owner) return null;
  const scope = query.account
    ? Prisma.sql`a.id = ${query.account}`
    : query.ou
      ? Prisma.sql`(a.ou_path = ${query.ou} OR a.ou_path LIKE ${query.ou + "/%"})`
      : Prisma.sql`true`;
  const perAccount = Prisma.sql`
    SELECT a.id, a.ou_path,
           COALESCE(bool_or(c.control_id = ${BROKEN_TRAIL_CONTROL_ID} AND c.status = 'pass'), false)
             AND COALESCE(bool_or(c.control_id = ${BROKEN_CHAIN_CONTROL_ID} AND c.status = 'pass'), false) AS complete,
           COALESCE(bool_or(c.status = 'fail'), false) AS failing
      FROM account a LEFT JOIN account_control_result c ON c.account_id = a.id
     WHERE a.enabled AND ${scope}
     GROUP BY a.id`;
  const groups =
    query.by === "ou"
      ? Prisma.sql`SELECT g.k, count(*)::int AS accounts, (count(*) FILTER (WHERE r.complete))::int AS complete,
                          (count(*) FILTER (WHERE r.failing))::int AS failing
                     FROM (SELECT DISTINCT ou_path AS k FROM r) g
                     JOIN r ON r.ou_path = g.k OR (g.k <> '' AND r.ou_path LIKE g.k || '/%')
                    GROUP BY g.k`
      : query.by === "account"
        ? Prisma.sql`SELECT r.id AS k, 1 AS accounts, (CASE WHEN r.complete THEN 1 ELSE 0 END) AS complete,
                            (CASE WHEN r.failing THEN 1 ELSE 0 END) AS failing FROM r
                      ${shownAccounts ? Prisma.sql`WHERE r.id = ANY(${[...shownAccounts]}::text[])` : Prisma.empty}`
        : Prisma.sql`SELECT NULL::text AS k, 0 AS accounts, 0 AS complete, 0 AS failing WHERE false`;
  const client = db();
  const [counts, controls, groupRows] = await Promise.all([
    client.$queryRaw<{ accounts: number; complete: number }[]>`
      WITH r AS (${perAccount})
      SELECT count(*)::int AS accounts, (count(*) FILTER (WHERE complete))::int AS complete FROM r`,
    client.$queryRaw<{ control_id: string; status: string; n: number }[]>`
      SELECT c.control_id, c.status, count(*)::int AS n
        FROM account a JOIN account_control_result c ON c.account_id = a.id
       WHERE a.enabled AND ${scope}
       GROUP BY 1, 2`,
    client.$queryRaw<{ k: string; accounts: number; complete: number; failing: number }[]>`
      WITH r AS (${perAccount}) ${groups}`,
  ]);
  const accounts = counts[0]?.accounts ?? 0;
  const n = (id: string, status: string) => controls.find((c) => c.control_id === id && c.status === status)?.n ?? 0;
  return {
    accounts,
    complete: counts[0]?.complete ?? 0,
    controls: ACCOUNT_CONTROL_CATALOG.map((c): AccountControlCoverage => {
      const [pass, fail, unknown] = [n(c.id, "pass"), n(c.id, "fail"), n(c.id, "unknown")];
      return { id: c.id, title: c.title, pass, fail, unknown, missing: accounts - pass - fail - unknown };
    }),
    byGroup: Object.fromEntries(
      groupRows.map((g): [string, AccountPostureGroup] => [
        g.k,
        { accounts: g.accounts, complete: g.complete, failing: g.failing },
      ]),
    ),
  };
}

/**
 * How many principals outside the organisation a live bucket of the scope grants anything (the Third parties
 * register filtered to the scope's buckets: /third-parties?account=… or ?ou=…).
 */
export async function countThirdPartiesInScope(actor: Actor | null, query: CoverageQuery): Promise<number> {
  authorize(actor, "third-parties:read");
  // The register's own count, so the number is the row count of the Third parties page its link opens.
  return countThirdParties(actor, coverageScope(query));
}

/** One point of the trend: percentages per level ("*" = all levels) for one day. */
export interface CoverageTrendPoint {
  day: string;
  [series: string]: number | string | null;
}

/**
 * The last `days` of daily aggregates for the scope (organisation, or one account / OU / owner), as percentages:
 * `classified:<level>` and `compliant:<level>` per level and for "*" (all levels).
 */
export async function getCoverageTrend(actor: Actor | null, query: CoverageQuery) {
  authorize(actor, "coverage:read");
  const [scopeType, scopeKey] = query.account
    ? ["account", query.account]
    : query.ou
      ? ["ou", query.ou]
      : query.owner
        ? ["owner", query.owner]
        : ["org", "*"];
  const since = new Date();
  since.setUTCHours(0, 0, 0, 0);
  since.setUTCDate(since.getUTCDate() - (query.days - 1));
  const rows = await db().coverageDaily.findMany({
    where: { scopeType, scopeKey, day: { gte: since } },
    orderBy: { day: "asc" },
    select: { day: true, levelKey: true, buckets: true, classified: true, compliant: true },
  });
  const byDay = new Map<string, CoverageTrendPoint>();
  for (const r of rows) {
    const day = r.day.toISOString().slice(0, 10);
    const point = byDay.get(day) ?? { day };
    const pct = (n: number) => (r.buckets > 0 ? Math.round((1000 * n) / r.buckets) / 10 : null);
    point[`classified:${r.levelKey}`] = pct(r.classified);
    point[`compliant:${r.levelKey}`] = pct(r.compliant);
    byDay.set(day, point);
  }
  return { scopeType, scopeKey, points: [...byDay.values()] };
}
