import "server-only";
/**
 * Buckets for the app. Every function authorizes first, filters/sorts/paginates in Postgres on indexed columns,
 * and returns DTOs (never raw rows).
 */
import { databaseUrlOf } from "@/lib/db/prisma";
import { settingsFrom } from "@/lib/env";
import {
  APP_EXPORT_OPTIONS,
  bucketExportJson,
  bucketExportRows,
  startBucketExportCsv,
  type BucketExportRow,
  type BucketExportView,
} from "@/lib/export/bucket-export";
import { startBucketExportInWorker, type BucketExportSpec } from "@/lib/export/bucket-export-in-worker";
import { pullStream } from "@/lib/export/csv";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BucketSettings } from "@/lib/domain/bucket-settings";
import type { RiskTerm } from "@/lib/domain/risk/compute-risk-score";
import { AppError } from "@/lib/errors";
import {
  BUCKET_SORT_DEFAULT_DIR,
  MACIE_SEVERITIES,
  bucketQueryParams,
  decodeBucketCursor,
  encodeBucketCursor,
  type BucketCursor,
  type BucketFilters,
  type BucketQuery,
} from "@/lib/schemas/bucket-query";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { accountOption } from "@/lib/server/dal/accounts";
import { distinctIndexedValues } from "@/lib/server/sql/distinct-values";
import { tallyCountSql } from "@/lib/server/sql/tally";
import { authorize, type Actor } from "@/lib/server/permissions";

/**
 * THE where-clause of a bucket view (alias `b` = bucket), as SQL. The list, its count, the overview counters (as
 * `COUNT(*) FILTER (WHERE …)`), coverage drill-downs and the export all use it, so their numbers always agree.
 * Every predicate hits an indexed column or is a correlated EXISTS on an indexed table (control_result by its
 * (bucket_id, control_id) key or its (control_id, status|observed, bucket_id) indexes; account by id; bucket_search,
 * for name search and tags, by its GIN indexes or its (bucket_id, name) index). `control` without `status` or
 * `observed` means status = fail.
 *
 * EXISTS, never `IN (subquery)`: in a WHERE both become semi-joins, but wherever Postgres keeps an `IN (subquery)`
 * as a SubPlan it is hashed only while the subquery's rows fit in work_mem, and past that it is rescanned for every
 * bucket row (the overview at 1,000,000 buckets did not finish in 16 minutes). A semi-join's hash spills to disk in
 * batches instead, linear whatever work_mem is. A where-clause with such a predicate must therefore stand in a
 * WHERE, never inside an expression (`COUNT(*) FILTER (WHERE …)`, a CASE).
 */
export function bucketWhere(query: BucketFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`b.gone_at IS NULL`];
  if (query.account) parts.push(Prisma.sql`b.account_id = ${query.account}`);
  if (query.region) parts.push(Prisma.sql`b.region = ${query.region}`);
  if (query.level) parts.push(Prisma.sql`b.level_key = ${query.level}`);
  if (query.source) parts.push(Prisma.sql`b.level_source = ${query.source}`);
  // "outside": the flag the evaluation stores from effective access — the Third parties page's rows agree with it.
  if (query.exposure === "outside") parts.push(Prisma.sql`b.outside_reach = 'reachable'`);
  else if (query.exposure) parts.push(Prisma.sql`b.exposure = ${query.exposure}`);
  if (query.ou) {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM account ou_a WHERE ou_a.id = b.account_id AND ou_a.ou_path = ${query.ou})`,
    );
  }
  if (query.control) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM control_result cr
                                   WHERE cr.bucket_id = b.id AND cr.control_id = ${query.control} AND ${controlVerdictSql(query)})`);
  }
  if (query.config === "disagree") parts.push(Prisma.sql`b.config_disagreements > 0`);
  if (query.macie) parts.push(Prisma.sql`b.macie_max_severity >= ${MACIE_SEVERITIES[query.macie]}`);
  const search = bucketSearchSql(query);
  if (search) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM bucket_search bs WHERE bs.bucket_id = b.id AND ${search})`);
  }
  if (query.owner) parts.push(Prisma.sql`b.owner_tag = ${query.owner}`);
  if (query.unowned) parts.push(Prisma.sql`b.owner_tag IS NULL`);
  if (query.failing) parts.push(Prisma.sql`b.failing_required > 0`);
  if (query.unknown) parts.push(Prisma.sql`b.unknown_required > 0`);
  if (query.waived) parts.push(Prisma.sql`b.waived_required > 0`);
  if (query.compliant) parts.push(Prisma.sql`b.compliant = ${query.compliant === "yes"}`);
  return Prisma.join(parts, " AND ");
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The name search and tag filter of a view (alias `bs` = bucket_search, the side table that carries their GIN
 * indexes so that a bucket row's updates do not), or null when the view has neither.
 */
function bucketSearchSql(query: Pick<BucketFilters, "q" | "tag">): Prisma.Sql | null {
  const parts: Prisma.Sql[] = [];
  // COLLATE "C": bucket names are ASCII, and the trigram index is built in "C" (migration bucket_search_side_table).
  if (query.q) parts.push(Prisma.sql`bs.name ILIKE ${`%${escapeLike(query.q)}%`} COLLATE "C"`);
  if (query.tag) {
    parts.push(
      query.tag.value === undefined
        ? Prisma.sql`bs.tags ? ${query.tag.key}`
        : Prisma.sql`bs.tags @> jsonb_build_object(${query.tag.key}::text, ${query.tag.value}::text)`,
    );
  }
  return parts.length ? Prisma.join(parts, " AND ") : null;
}

/**
 * The COUNT statement of a view: from the maintained counters when they can count it (`tallyCountSql`: a broad view —
 * scope filters and at most one condition, or a control's verdict alone — sums a few rows per account instead of
 * scanning up to every bucket), else by the where-clause itself (narrower views, each led by an index).
 */
export function bucketCountSql(filters: BucketFilters): Prisma.Sql {
  return tallyCountSql(filters) ?? bucketScanCountSql(filters);
}

/**
 * A list page counts a view the counters cannot count only this far ("1–50 of more than 10,000 buckets"): counting a
 * narrow view is short, but a broad one by its where-clause (a tag most buckets carry, two conditions at once) read
 * up to every bucket — 0.4–0.8 s per page at 1,000,000 buckets. Counting stops at the limit instead.
 */
export const LIST_COUNT_LIMIT = 10_000;

/** The COUNT statement of a list page: exact from the counters, else by the where-clause up to LIST_COUNT_LIMIT + 1. */
export function bucketListCountSql(
  filters: BucketFilters,
  options: { toTheEnd?: boolean } = {},
): { sql: Prisma.Sql; exact: boolean } {
  const tallied = tallyCountSql(filters);
  if (tallied) return { sql: tallied, exact: true };
  if (options.toTheEnd) return { sql: bucketScanCountSql(filters), exact: true };
  return {
    sql: Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM bucket b WHERE ${bucketWhere(filters)} LIMIT ${LIST_COUNT_LIMIT + 1}) c`,
    exact: false,
  };
}

/** The COUNT statement of a view by its where-clause (what the counters must always agree with). */
export function bucketScanCountSql(filters: BucketFilters): Prisma.Sql {
  return Prisma.sql`SELECT COUNT(*) AS n FROM bucket b WHERE ${bucketWhere(filters)}`;
}

/** The verdict part of a control filter (alias `cr`): `status` (fail when neither is given) and/or `observed`. */
function controlVerdictSql(query: Pick<BucketFilters, "status" | "observed">): Prisma.Sql {
  const verdict: Prisma.Sql[] = [];
  if (query.status || !query.observed) verdict.push(Prisma.sql`cr.status = ${query.status ?? "fail"}`);
  if (query.observed) verdict.push(Prisma.sql`cr.observed = ${query.observed}`);
  return Prisma.join(verdict, " AND ");
}

/**
 * Sort keys → the SQL expression on bucket `b` (never NULL, so keyset comparisons hold) and the SQL type of its
 * cursor value. Every list is ordered by (key, id) so pages are stable; the (key, id, gone_at) indexes on bucket serve
 * both directions. "Last read" is different: see LAST_READ below.
 */
const COLUMN_SORTS: Record<
  Exclude<NonNullable<BucketQuery["sort"]>, "lastSeen">,
  { expr: Prisma.Sql; cast: string }
> = {
  risk: { expr: Prisma.sql`b.risk_score`, cast: "int" },
  name: { expr: Prisma.sql`b.name`, cast: "text" },
  account: { expr: Prisma.sql`b.account_id`, cast: "varchar" },
  region: { expr: Prisma.sql`b.region`, cast: "text" },
  // By sensitivity (the level's rank; -1 = not evaluated), most sensitive first by default.
  level: { expr: Prisma.sql`b.level_rank`, cast: "int" },
};

/**
 * A listed bucket's settings were last confirmed by its account's last successful sync (unchanged buckets are not
 * rewritten on every sync), so "last read" is an account's time: the list walks accounts in that order and each
 * account's buckets by id — (read time, account id, bucket id) — a nested loop over the (account_id, id, gone_at)
 * index that stops after one page, instead of joining and sorting all 100,000 buckets. An account never read
 * successfully sorts as the oldest (epoch); its buckets show the time they were last listed.
 */
const LAST_READ_KEY = Prisma.sql`COALESCE(last_success_at, 'epoch'::timestamp(3))`;

type Dir = "asc" | "desc";
const SQL_DIR = (d: Dir) => Prisma.raw(d === "asc" ? "ASC" : "DESC");
const flip = (d: Dir): Dir => (d === "asc" ? "desc" : "asc");

/**
 * One sort: how to select a page of bucket ids (`b.id`, `sort_key`, and for last read `sort_account`) in that
 * order from the live buckets matching `where`, optionally after a keyset cursor.
 */
export function bucketSort(query: Pick<BucketQuery, "sort" | "dir">) {
  const sort = query.sort ?? "risk";
  const dir = query.dir ?? BUCKET_SORT_DEFAULT_DIR[sort];
  if (sort === "lastSeen") {
    return {
      dir,
      /** Ids of one page in direction `d`, strictly after `cursor` when given. */
      pageIds(where: Prisma.Sql, d: Dir, cursor: BucketCursor | null) {
        const c = cursor ? splitLastReadKey(cursor) : null;
        const op = Prisma.raw(d === "asc" ? ">" : "<");
        const opEq = Prisma.raw(d === "asc" ? ">=" : "<=");
        // The redundant account-level comparison lets the loop skip whole accounts before the cursor.
        const keyset = c
          ? Prisma.sql`WHERE (a.read_key, a.id) ${opEq} (${c.readAt}::timestamp(3), ${c.accountId}::varchar)
                         AND (a.read_key, a.id, b.id) ${op} (${c.readAt}::timestamp(3), ${c.accountId}::varchar, ${cursor!.id}::int)`
          : Prisma.empty;
        return Prisma.sql`SELECT b.id, a.read_key AS sort_key, a.id AS sort_account
          FROM (SELECT id, ${LAST_READ_KEY} AS read_key FROM account ORDER BY 2 ${SQL_DIR(d)}, 1 ${SQL_DIR(d)}) a
          CROSS JOIN LATERAL (SELECT b.id FROM bucket b WHERE b.account_id = a.id AND ${where} ORDER BY b.id ${SQL_DIR(d)}) b
          ${keyset}
          ORDER BY a.read_key ${SQL_DIR(d)}, a.id ${SQL_DIR(d)}, b.id ${SQL_DIR(d)}`;
      },
      /** ORDER BY over the page CTE `p` in direction `d`. */
      pageOrder: (d: Dir) =>
        Prisma.sql`ORDER BY p.sort_key ${SQL_DIR(d)}, p.sort_account ${SQL_DIR(d)}, p.id ${SQL_DIR(d)}`,
    };
  }
  const { expr, cast } = COLUMN_SORTS[sort];
  return {
    dir,
    pageIds(where: Prisma.Sql, d: Dir, cursor: BucketCursor | null) {
      // The id tie-breaker runs in the key's direction: one (key, id) index then serves ascending and descending
      // lists (scanned forwards or backwards), and "rows after this one" is a single row comparison the index can
      // start at. Only id and key are read, so with gone_at in the index this is an index-only scan.
      const keyset = cursor
        ? Prisma.sql`AND (${expr}, b.id) ${Prisma.raw(d === "asc" ? ">" : "<")} (${cursor.key}::${Prisma.raw(cast)}, ${cursor.id}::int)`
        : Prisma.empty;
      return Prisma.sql`SELECT b.id, ${expr} AS sort_key, NULL::varchar AS sort_account FROM bucket b
        WHERE ${where} ${keyset} ORDER BY ${expr} ${SQL_DIR(d)}, b.id ${SQL_DIR(d)}`;
    },
    pageOrder: (d: Dir) => Prisma.sql`ORDER BY p.sort_key ${SQL_DIR(d)}, p.id ${SQL_DIR(d)}`,
  };
}

/** lastSeen cursors carry "ISO time|account id" as their key. */
function splitLastReadKey(cursor: BucketCursor): { readAt: string; accountId: string } {
  const [readAt = "", accountId = ""] = String(cursor.key).split("|");
  return { readAt, accountId };
}

/** The cursor of a row: its sort key as JSON (timestamps as ISO strings; last read: "ISO|account") and its id. */
function cursorOf(row: { id: number; sort_key: string | number | Date | null; sort_account: string | null }): string {
  const key = row.sort_key instanceof Date ? row.sort_key.toISOString() : (row.sort_key ?? "");
  return encodeBucketCursor({ key: row.sort_account ? `${key}|${row.sort_account}` : key, id: row.id });
}

type PageKeys = { sort_key: string | number | Date | null; sort_account: string | null };

type BucketListDbRow = {
  id: number;
  name: string;
  region: string;
  account_id: string;
  account_name: string;
  level_key: string | null;
  level_source: string;
  classified: boolean;
  exposure: string;
  risk_score: number;
  failing_required: number;
  unknown_required: number;
  macie_max_severity: number;
  macie_findings: number;
  macie_policy_findings: number;
  owner_tag: string | null;
  last_read_at: Date;
  evaluated_at: Date | null;
};

const LIST_COLUMNS = Prisma.sql`b.id, b.name, b.region, b.account_id, a.name AS account_name, b.level_key, b.level_source, b.classified,
  b.exposure, b.risk_score, b.failing_required, b.unknown_required, b.macie_max_severity, b.macie_findings,
  b.macie_policy_findings, b.owner_tag, COALESCE(a.last_success_at, b.last_seen_at) AS last_read_at, b.evaluated_at`;

/**
 * A page of the view: first the page's ids in order (index-only where the sort allows: by OFFSET that skips index
 * entries, not table rows; by keyset it starts at the cursor), then the page's rows joined to their account.
 */
function bucketPageSql(
  where: Prisma.Sql,
  sort: ReturnType<typeof bucketSort>,
  page: { dir: Dir; cursor: BucketCursor | null; limit: number; offset?: number },
  columns: Prisma.Sql,
): Prisma.Sql {
  const offset = page.offset ? Prisma.sql`OFFSET ${page.offset}` : Prisma.empty;
  return Prisma.sql`WITH p AS (${sort.pageIds(where, page.dir, page.cursor)} LIMIT ${page.limit} ${offset})
    SELECT ${columns}, p.sort_key, p.sort_account FROM p JOIN bucket b ON b.id = p.id JOIN account a ON a.id = b.account_id
    ${sort.pageOrder(page.dir)}`;
}

function toListRow(r: BucketListDbRow) {
  return {
    id: r.id,
    name: r.name,
    region: r.region,
    accountId: r.account_id,
    accountName: r.account_name,
    levelKey: r.level_key,
    levelSource: r.level_source,
    classified: r.classified,
    exposure: r.exposure,
    riskScore: r.risk_score,
    failingRequired: r.failing_required,
    unknownRequired: r.unknown_required,
    macieMaxSeverity: r.macie_max_severity,
    macieFindings: r.macie_findings,
    maciePolicyFindings: r.macie_policy_findings,
    ownerTag: r.owner_tag,
    lastReadAt: r.last_read_at,
    evaluatedAt: r.evaluated_at,
  };
}

/**
 * Whether a view's count should be planned without index-only scans. The planner does not cost ILIKE's evaluation:
 * for a name search it reads the whole (name, id, gone_at) index and tests every name (≈ 30 ms at 100,000 buckets)
 * rather than the trigram index (≈ 6 ms for a search matching a few thousand; ≈ 60 ms when it matches everything),
 * its estimates a hair apart. With index-only scans off it takes the trigram index. Only when the text has a
 * trigram to look up (three letters or digits in a row: pg_trgm ignores other characters) and no control filter is
 * set (its semi-join is an index-only scan of control_result, which must stay one). Measured before name search moved
 * to bucket_search; since, at 1,000,000 buckets a name search's count was planned the same either way (trigram index,
 * then bucket by key: ≈ 40 ms), so the steering is kept, harmless, until it is measured again at 100,000.
 */
export function countPrefersTrigramIndex(filters: BucketFilters): boolean {
  return !!filters.q && /[\p{L}\p{N}]{3}/u.test(filters.q) && !filters.control;
}

/** Runs a view's COUNT statement, with the plan steering above when it applies. */
async function runCount(filters: BucketFilters, sql: Prisma.Sql): Promise<number> {
  const client = db();
  const [row] = countPrefersTrigramIndex(filters)
    ? (
        await client.$transaction([
          client.$executeRaw`SET LOCAL enable_indexonlyscan = off`,
          client.$queryRaw<{ n: bigint }[]>(sql),
        ])
      )[1]
    : await client.$queryRaw<{ n: bigint }[]>(sql);
  return Number(row?.n ?? 0);
}

/** How many buckets a view holds (the same where-clause as the list and the export). */
export async function countBuckets(actor: Actor | null, filters: BucketFilters): Promise<number> {
  authorize(actor, "buckets:read");
  return runCount(filters, bucketCountSql(filters));
}

/**
 * The two statements behind a list page (its count and its rows); exported for the read benchmark's EXPLAIN.
 * With a cursor (`after` / `before`, from the Next / Previous links) the page starts at that row by keyset; without
 * one, `page` is an OFFSET over the index (page numbers typed or bookmarked keep working).
 */
export function bucketListSql(query: BucketQuery): {
  count: Prisma.Sql;
  countIsExact: boolean;
  rows: Prisma.Sql;
  reversed: boolean;
} {
  const where = bucketWhere(query);
  const sort = bucketSort(query);
  const after = query.after ? decodeBucketCursor(query.after) : null;
  const before = query.before ? decodeBucketCursor(query.before) : null;
  const limit = query.pageSize;
  const count = bucketListCountSql(query, { toTheEnd: query.count === "all" });
  return {
    count: count.sql,
    countIsExact: count.exact,
    rows: before
      ? // Rows before the cursor, nearest first (reversed for display).
        bucketPageSql(where, sort, { dir: flip(sort.dir), cursor: before, limit }, LIST_COLUMNS)
      : bucketPageSql(
          where,
          sort,
          { dir: sort.dir, cursor: after, limit, offset: after ? 0 : (query.page - 1) * limit },
          LIST_COLUMNS,
        ),
    reversed: !!before,
  };
}

export async function listBuckets(actor: Actor | null, query: BucketQuery) {
  authorize(actor, "buckets:read");
  const sql = bucketListSql(query);
  const client = db();
  const [counted, fetched] = await Promise.all([
    runCount(query, sql.count),
    client.$queryRaw<(BucketListDbRow & PageKeys)[]>(sql.rows),
  ]);
  const rows = sql.reversed ? fetched.reverse() : fetched;
  const first = rows[0];
  const last = rows[rows.length - 1];
  let total = counted;
  let totalIsLowerBound = !sql.countIsExact && counted > LIST_COUNT_LIMIT;
  if (totalIsLowerBound && rows.length === 0 && query.page > 1) {
    // A page past the end of a long list: only the exact count can say which page is the last.
    total = await runCount(query, bucketScanCountSql(query));
    totalIsLowerBound = false;
  } else if (totalIsLowerBound) total = LIST_COUNT_LIMIT;
  return {
    total,
    totalIsLowerBound,
    page: query.page,
    pageSize: query.pageSize,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
    rows: rows.map(toListRow),
    /** Cursors for the Next / Previous links (keyset: no OFFSET however deep the page). */
    nextCursor: last ? cursorOf(last) : null,
    prevCursor: first ? cursorOf(first) : null,
  };
}

/**
 * A view for the export (lib/export/bucket-export.ts: the route through `startBucketExport`, and
 * `npm run buckets:export`): its pages are the list's pages (`bucketPageSql`), each starting by keyset at the
 * previous page's last row.
 */
export function bucketExportView(filters: BucketFilters, sort: Pick<BucketQuery, "sort" | "dir">): BucketExportView {
  const where = bucketWhere(filters);
  const order = bucketSort(sort);
  return {
    page: (cursor, limit, columns) => bucketPageSql(where, order, { dir: order.dir, cursor, limit }, columns),
    cursorOf: (row) => decodeBucketCursor(cursorOf(row))!,
  };
}

/**
 * Starts an export of exactly the filtered view: authorizes (buckets:export), audits (export.buckets with the
 * filters and format), and returns the rows as an async iterator for the route handler to stream — keyset pages
 * of the view in the list's order (lib/export/bucket-export.ts, also behind `npm run buckets:export`).
 */
export async function startBucketExport(
  actor: Actor | null,
  query: BucketQuery,
  format: "csv" | "json",
  meta: { ip: string | null },
): Promise<{ total: number; rows: AsyncGenerator<BucketExportRow>; spec: BucketExportSpec }> {
  authorize(actor, "buckets:export");
  const {
    sort,
    dir,
    page: _page,
    pageSize: _pageSize,
    after: _after,
    before: _before,
    count: _count,
    ...filters
  } = query;
  const total = await countBuckets(actor, filters);
  await writeAudit(db(), {
    actor,
    action: "export.buckets",
    targetType: "bucket-view",
    outcome: "success",
    detail: { format, filters: bucketQueryParams(filters), sort: sort ?? "risk", dir: dir ?? null, rows: total },
    ip: meta.ip,
  });
  return {
    total,
    rows: bucketExportRows(db(), bucketExportView(filters, { sort, dir }), APP_EXPORT_OPTIONS),
    spec: { filters, sort: { sort, dir }, format, options: APP_EXPORT_OPTIONS },
  };
}

/**
 * The export route's body: `startBucketExport` (authorize, count, audit — on this thread, before anything else
 * starts), then the view encoded as CSV or JSON in a worker thread with its own capped heap and one connection
 * (lib/export/bucket-export-in-worker.ts), streamed as the client reads. The first page is read before this returns,
 * so a failing query is an error here, before a status line is sent. `CUSTODY_EXPORT_IN_PROCESS=1` encodes on this
 * thread instead (as before the worker; a fallback and for comparison).
 */
export async function startBucketExportDownload(
  actor: Actor | null,
  query: BucketQuery,
  format: "csv" | "json",
  meta: { ip: string | null },
): Promise<{ total: number; body: ReadableStream<Uint8Array> }> {
  authorize(actor, "buckets:export"); // again in startBucketExport: nothing below may run for a caller without it
  const { total, rows, spec } = await startBucketExport(actor, query, format, meta);
  if (settingsFrom().CUSTODY_EXPORT_IN_PROCESS)
    return {
      total,
      body: format === "csv" ? await startBucketExportCsv(rows, spec.options) : pullStream(bucketExportJson(rows)),
    };
  return { total, body: (await startBucketExportInWorker(databaseUrlOf(db()), spec)).body };
}

export type BucketListRow = Awaited<ReturnType<typeof listBuckets>>["rows"][number];

/**
 * What the list's filters offer. Accounts are searched as the user types (GET /api/account-options), so only the
 * account the view is filtered by is read here.
 */
export async function bucketFilterOptions(actor: Actor | null, selected: { account?: string } = {}) {
  authorize(actor, "buckets:read");
  const client = db();
  const [account, regions, levels, ous] = await Promise.all([
    accountOption(actor, selected.account),
    distinctIndexedValues("bucket", "region", Prisma.sql`x.gone_at IS NULL`),
    currentLevels(actor),
    client.$queryRaw<{ ou_path: string }[]>`SELECT DISTINCT ou_path FROM account WHERE ou_path <> '' ORDER BY 1`,
  ]);
  return { account, regions, levels, ous: ous.map((o) => o.ou_path) };
}

/** Levels of the current scheme version, highest rank first. */
export async function currentLevels(actor: Actor | null) {
  authorize(actor, "buckets:read");
  const latest = await db().schemeVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
  if (!latest) return [];
  return db().classificationLevel.findMany({
    where: { schemeVersion: latest.version },
    orderBy: { rank: "desc" },
    select: { key: true, name: true, rank: true },
  });
}

export async function getBucket(actor: Actor | null, id: number) {
  authorize(actor, "buckets:read");
  const bucket = await db().bucket.findUnique({
    where: { id },
    select: {
      id: true,
      arn: true,
      name: true,
      region: true,
      accountId: true,
      account: {
        select: {
          name: true,
          ouPath: true,
          lastSyncStatus: true,
          lastSuccessAt: true,
          lastError: true,
          s3AccountSettings: true,
          s3AccountSettingsReadAt: true,
        },
      },
      bucketCreatedAt: true,
      firstSeenAt: true,
      lastSeenAt: true,
      goneAt: true,
      levelKey: true,
      levelSource: true,
      classified: true,
      exposure: true,
      publicWrite: true,
      riskScore: true,
      failingRequired: true,
      unknownRequired: true,
      evaluatedAt: true,
      schemeVersion: true,
      riskTerms: true,
      ownerTag: true,
      macieMaxSeverity: true,
      macieFindings: true,
      maciePolicyFindings: true,
      currentState: { select: { settings: true, readAt: true, lastReadAt: true, syncRunId: true } },
      classification: { select: { levelKey: true, reason: true, setAt: true, setBy: { select: { email: true } } } },
      changes: {
        orderBy: { changedAt: "desc" },
        take: 50,
        select: { id: true, setting: true, fromValue: true, toValue: true, changedAt: true, syncRunId: true },
      },
      controlResults: {
        select: {
          controlId: true,
          required: true,
          status: true,
          observed: true,
          reason: true,
          evidence: true,
          configVerdict: true,
          configCompliance: true,
          waiverId: true,
        },
      },
    },
  });
  if (!bucket) throw new AppError("not_found", `There is no bucket with id ${id}.`);
  // The bucket-change events CloudTrail recorded for it (lib/events): who, when, from where, verdict before/after.
  const events = await db().bucketChangeEvent.findMany({
    where: { bucketId: id },
    orderBy: [{ eventTime: "desc" }, { eventId: "asc" }],
    take: 50,
    select: {
      eventId: true,
      eventName: true,
      eventTime: true,
      actorArn: true,
      actorType: true,
      principalId: true,
      sourceIp: true,
      errorCode: true,
      receivedAt: true,
      refreshId: true,
      verdictBefore: true,
      verdictAfter: true,
    },
  });
  const { currentState, riskTerms, ...rest } = bucket;
  return {
    ...rest,
    events,
    /** null when the bucket was evaluated before risk terms were stored (re-evaluation fills them). */
    riskTerms: Array.isArray(riskTerms) ? (riskTerms as unknown as RiskTerm[]) : null,
    settings: (currentState?.settings ?? null) as BucketSettings | null,
    settingsReadAt: currentState?.readAt ?? null,
    settingsConfirmedAt: rest.goneAt
      ? rest.lastSeenAt
      : (rest.account.lastSuccessAt ?? currentState?.lastReadAt ?? null),
  };
}

export type BucketDetail = Awaited<ReturnType<typeof getBucket>>;
