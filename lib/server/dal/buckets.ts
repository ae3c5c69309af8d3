import "server-only";
/**
 * Buckets for the app. Every function authorizes first, filters/sorts/paginates in Postgres on indexed columns,
 * and returns DTOs (never raw rows).
 */
import { bucketExportRows, type BucketExportRow } from "@/lib/export/bucket-export";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BucketSettings } from "@/lib/domain/bucket-settings";
import type { RiskTerm } from "@/lib/domain/risk/compute-risk-score";
import { AppError } from "@/lib/errors";
import {
  MACIE_SEVERITIES, bucketQueryParams, decodeBucketCursor, encodeBucketCursor, type BucketCursor, type BucketFilters, type BucketQuery,
} from "@/lib/schemas/bucket-query";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { distinctIndexedValues } from "@/lib/server/dal/distinct-values";
import { authorize, type Actor } from "@/lib/server/permissions";

/**
 * THE where-clause of a bucket view (alias `b` = bucket), as SQL. The list, its count, the overview counters (as
 * `COUNT(*) FILTER (WHERE …)`), coverage drill-downs and the export all use it, so their numbers always agree.
 * Every predicate hits an indexed column, the GIN indexes on tags and on the name's trigrams (search), or an
 * indexed subquery (control_result (control_id, status|observed, bucket_id), account (ou_path)). `control` without `status` or `observed` means status = fail.
 */
export function bucketWhere(query: BucketFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`b.gone_at IS NULL`];
  if (query.account) parts.push(Prisma.sql`b.account_id = ${query.account}`);
  if (query.region) parts.push(Prisma.sql`b.region = ${query.region}`);
  if (query.level) parts.push(Prisma.sql`b.level_key = ${query.level}`);
  if (query.source) parts.push(Prisma.sql`b.level_source = ${query.source}`);
  if (query.exposure) parts.push(Prisma.sql`b.exposure = ${query.exposure}`);
  if (query.q) parts.push(Prisma.sql`b.name ILIKE ${`%${escapeLike(query.q)}%`}`);
  if (query.ou) parts.push(Prisma.sql`b.account_id IN (SELECT a.id FROM account a WHERE a.ou_path = ${query.ou})`);
  if (query.control) {
    const verdict: Prisma.Sql[] = [];
    if (query.status || !query.observed) verdict.push(Prisma.sql`cr.status = ${query.status ?? "fail"}`);
    if (query.observed) verdict.push(Prisma.sql`cr.observed = ${query.observed}`);
    // IN, not a correlated EXISTS: inside the overview's COUNT(*) FILTER an EXISTS runs once per bucket (100,000
    // index probes), an IN becomes one hashed subplan; both read only the covering (control_id, status|observed,
    // bucket_id) indexes.
    parts.push(Prisma.sql`b.id IN (SELECT cr.bucket_id FROM control_result cr
                                  WHERE cr.control_id = ${query.control} AND ${Prisma.join(verdict, " AND ")})`);
  }
  if (query.config === "disagree") parts.push(Prisma.sql`b.config_disagreements > 0`);
  if (query.macie) parts.push(Prisma.sql`b.macie_max_severity >= ${MACIE_SEVERITIES[query.macie]}`);
  if (query.tag) {
    parts.push(
      query.tag.value === undefined
        ? Prisma.sql`b.tags ? ${query.tag.key}`
        : Prisma.sql`b.tags @> jsonb_build_object(${query.tag.key}::text, ${query.tag.value}::text)`,
    );
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
 * Sort keys → the SQL expression (never NULL, so keyset comparisons hold), its default direction and the SQL type of
 * its cursor value. Every list is ordered by (key, id) so pages are stable; the (key, id) indexes on bucket serve
 * both directions (lastSeen spans two tables and sorts in memory; level is a COALESCE over few distinct values).
 */
const SORT_KEYS: Record<NonNullable<BucketQuery["sort"]>, { expr: Prisma.Sql; defaultDir: "asc" | "desc"; cast: string }> = {
  risk: { expr: Prisma.sql`b.risk_score`, defaultDir: "desc", cast: "int" },
  name: { expr: Prisma.sql`b.name`, defaultDir: "asc", cast: "text" },
  account: { expr: Prisma.sql`b.account_id`, defaultDir: "asc", cast: "varchar" },
  region: { expr: Prisma.sql`b.region`, defaultDir: "asc", cast: "text" },
  level: { expr: Prisma.sql`COALESCE(b.level_key, '')`, defaultDir: "asc", cast: "text" },
  // Settings of a listed bucket were last confirmed by its account's last successful sync (unchanged buckets are
  // not rewritten on every sync).
  lastSeen: { expr: Prisma.sql`COALESCE(a.last_success_at, b.last_seen_at)`, defaultDir: "asc", cast: "timestamp(3)" },
};

export function bucketSort(query: Pick<BucketQuery, "sort" | "dir">) {
  const key = SORT_KEYS[query.sort ?? "risk"];
  const dir = query.dir ?? key.defaultDir;
  const order = (d: "asc" | "desc") => Prisma.raw(d === "asc" ? "ASC" : "DESC");
  // The id tie-breaker runs in the key's direction: one (key, id) index then serves ascending and descending lists
  // (scanned forwards or backwards), and "rows after this one" is a single row comparison the index can start at.
  const orderFor = (d: "asc" | "desc") => Prisma.sql`ORDER BY ${key.expr} ${order(d)}, b.id ${order(d)}`;
  /** Rows strictly after (in direction `d`) the row with this sort key and id. */
  const keysetFor = (d: "asc" | "desc", cursor: BucketCursor) =>
    Prisma.sql`(${key.expr}, b.id) ${Prisma.raw(d === "asc" ? ">" : "<")} (${cursor.key}::${Prisma.raw(key.cast)}, ${cursor.id}::int)`;
  const flipped = dir === "asc" ? "desc" : "asc";
  return {
    expr: key.expr,
    dir,
    orderBy: orderFor(dir),
    /** Rows after the cursor, in the list's order. */
    after: (cursor: BucketCursor) => ({ where: keysetFor(dir, cursor), orderBy: orderFor(dir) }),
    /** Rows before the cursor, nearest first (reverse them for display). */
    before: (cursor: BucketCursor) => ({ where: keysetFor(flipped, cursor), orderBy: orderFor(flipped) }),
  };
}

/** The cursor of a row: its sort key as JSON (timestamps as ISO strings) and its id. */
function cursorOf(row: { id: number; sort_key: string | number | Date | null }): string {
  const key = row.sort_key instanceof Date ? row.sort_key.toISOString() : (row.sort_key ?? "");
  return encodeBucketCursor({ key, id: row.id });
}

type BucketListDbRow = {
  id: number; name: string; region: string; account_id: string; account_name: string; level_key: string | null;
  level_source: string; classified: boolean; exposure: string; risk_score: number; failing_required: number;
  unknown_required: number; macie_max_severity: number; owner_tag: string | null; last_read_at: Date; evaluated_at: Date | null;
};

const LIST_COLUMNS = Prisma.sql`b.id, b.name, b.region, b.account_id, a.name AS account_name, b.level_key, b.level_source, b.classified,
  b.exposure, b.risk_score, b.failing_required, b.unknown_required, b.macie_max_severity, b.owner_tag,
  COALESCE(a.last_success_at, b.last_seen_at) AS last_read_at, b.evaluated_at`;

function toListRow(r: BucketListDbRow) {
  return {
    id: r.id, name: r.name, region: r.region, accountId: r.account_id, accountName: r.account_name, levelKey: r.level_key,
    levelSource: r.level_source, classified: r.classified, exposure: r.exposure, riskScore: r.risk_score,
    failingRequired: r.failing_required, unknownRequired: r.unknown_required, macieMaxSeverity: r.macie_max_severity,
    ownerTag: r.owner_tag, lastReadAt: r.last_read_at, evaluatedAt: r.evaluated_at,
  };
}

/** How many buckets a view holds (the same where-clause as the list and the export). */
export async function countBuckets(actor: Actor | null, filters: BucketFilters): Promise<number> {
  authorize(actor, "buckets:read");
  const [row] = await db().$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM bucket b WHERE ${bucketWhere(filters)}`;
  return Number(row?.n ?? 0);
}

/**
 * The two statements behind a list page (its count and its rows); exported for the read benchmark's EXPLAIN.
 * With a cursor (`after` / `before`, from the Next / Previous links) the page starts at that row by keyset; without
 * one, `page` is an OFFSET (page numbers typed or bookmarked keep working, slower deep into a large view).
 */
export function bucketListSql(query: BucketQuery): { count: Prisma.Sql; rows: Prisma.Sql; reversed: boolean } {
  const where = bucketWhere(query);
  const sort = bucketSort(query);
  const after = query.after ? decodeBucketCursor(query.after) : null;
  const before = query.before ? decodeBucketCursor(query.before) : null;
  const keyset = after ? sort.after(after) : before ? sort.before(before) : null;
  const select = Prisma.sql`SELECT ${LIST_COLUMNS}, ${sort.expr} AS sort_key FROM bucket b JOIN account a ON a.id = b.account_id`;
  return {
    count: Prisma.sql`SELECT COUNT(*) AS n FROM bucket b WHERE ${where}`,
    rows: keyset
      ? Prisma.sql`${select} WHERE ${where} AND ${keyset.where} ${keyset.orderBy} LIMIT ${query.pageSize}`
      : Prisma.sql`${select} WHERE ${where} ${sort.orderBy} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    reversed: !!before,
  };
}

export async function listBuckets(actor: Actor | null, query: BucketQuery) {
  authorize(actor, "buckets:read");
  const sql = bucketListSql(query);
  const client = db();
  const [[count], fetched] = await Promise.all([
    client.$queryRaw<{ n: bigint }[]>(sql.count),
    client.$queryRaw<(BucketListDbRow & { sort_key: string | number | Date | null })[]>(sql.rows),
  ]);
  const rows = sql.reversed ? fetched.reverse() : fetched;
  const total = Number(count?.n ?? 0);
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    total,
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
 * Starts an export of exactly the filtered view: authorizes (buckets:export), audits (export.buckets with the
 * filters and format), and returns the rows as an async iterator for the route handler to stream — keyset pages
 * of the view in the list's order (lib/export/bucket-export.ts, also behind `npm run buckets:export`).
 */
export async function startBucketExport(
  actor: Actor | null,
  query: BucketQuery,
  format: "csv" | "json",
  meta: { ip: string | null },
): Promise<{ total: number; rows: AsyncGenerator<BucketExportRow> }> {
  authorize(actor, "buckets:export");
  const { sort, dir, page: _page, pageSize: _pageSize, after: _after, before: _before, ...filters } = query;
  const total = await countBuckets(actor, filters);
  await writeAudit(db(), {
    actor,
    action: "export.buckets",
    targetType: "bucket-view",
    outcome: "success",
    detail: { format, filters: bucketQueryParams(filters), sort: sort ?? "risk", dir: dir ?? null, rows: total },
    ip: meta.ip,
  });
  return { total, rows: bucketExportRows(db(), { where: bucketWhere(filters), order: bucketSort({ sort, dir }) }) };
}

export type BucketListRow = Awaited<ReturnType<typeof listBuckets>>["rows"][number];

export async function bucketFilterOptions(actor: Actor | null) {
  authorize(actor, "buckets:read");
  const client = db();
  const [accounts, regions, levels, ous] = await Promise.all([
    client.account.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    distinctIndexedValues("bucket", "region", Prisma.sql`x.gone_at IS NULL`),
    currentLevels(),
    client.$queryRaw<{ ou_path: string }[]>`SELECT DISTINCT ou_path FROM account WHERE ou_path <> '' ORDER BY 1`,
  ]);
  return { accounts, regions, levels, ous: ous.map((o) => o.ou_path) };
}

/** Levels of the current scheme version, highest rank first. */
export async function currentLevels() {
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
        select: { name: true, ouPath: true, lastSyncStatus: true, lastSuccessAt: true, lastError: true, s3AccountSettings: true, s3AccountSettingsReadAt: true },
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
      currentState: { select: { settings: true, readAt: true, lastReadAt: true, syncRunId: true } },
      classification: { select: { levelKey: true, reason: true, setAt: true, setBy: { select: { email: true } } } },
      changes: {
        orderBy: { changedAt: "desc" },
        take: 50,
        select: { id: true, setting: true, fromValue: true, toValue: true, changedAt: true },
      },
      controlResults: {
        select: {
          controlId: true, required: true, status: true, observed: true, reason: true, evidence: true,
          configVerdict: true, configCompliance: true, waiverId: true,
        },
      },
    },
  });
  if (!bucket) throw new AppError("not_found", `There is no bucket with id ${id}.`);
  const { currentState, riskTerms, ...rest } = bucket;
  return {
    ...rest,
    /** null when the bucket was evaluated before risk terms were stored (re-evaluation fills them). */
    riskTerms: Array.isArray(riskTerms) ? (riskTerms as unknown as RiskTerm[]) : null,
    settings: (currentState?.settings ?? null) as BucketSettings | null,
    settingsReadAt: currentState?.readAt ?? null,
    settingsConfirmedAt: rest.goneAt ? rest.lastSeenAt : (rest.account.lastSuccessAt ?? currentState?.lastReadAt ?? null),
  };
}

export type BucketDetail = Awaited<ReturnType<typeof getBucket>>;
