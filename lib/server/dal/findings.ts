import "server-only";
/**
 * Macie findings across accounts: filtered, sorted (severity, then newest) and paginated in Postgres, each joined to
 * its bucket in the same query (account + name → bucket id), never one lookup per row.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import { FINDING_SEVERITIES, type FindingFilters, type FindingQuery } from "@/lib/schemas/finding-query";
import { db } from "@/lib/server/db";
import { distinctIndexedValues } from "@/lib/server/sql/distinct-values";
import { containsPattern } from "@/lib/server/sql/like-pattern";
import { accountOption } from "@/lib/server/dal/accounts";
import { authorize, type Actor } from "@/lib/server/permissions";

/** THE where-clause of a findings view (alias `f`), shared by the list, its count and the overview counter. */
export function findingWhere(query: FindingFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (query.archived === "only") parts.push(Prisma.sql`f.archived`);
  else if (query.archived !== "include") parts.push(Prisma.sql`NOT f.archived`);
  if (query.account) parts.push(Prisma.sql`f.account_id = ${query.account}`);
  if (query.region) parts.push(Prisma.sql`f.region = ${query.region}`);
  // Macie's severity names map 1:1 to its scores (Low 1, Medium 2, High 3); the score column is indexed.
  if (query.severity) parts.push(Prisma.sql`f.severity_score = ${FINDING_SEVERITIES.indexOf(query.severity) + 1}`);
  if (query.type) parts.push(Prisma.sql`f.type = ${query.type}`);
  if (query.category) parts.push(Prisma.sql`f.category = ${query.category}`);
  // Part of a name matches (trigram index macie_finding_bucket_name_trgm_idx, built in "C"); a bucket page's link
  // asks for its own name exactly (match=exact), so "acme-logs" does not also list "acme-logs-archive".
  if (query.bucket) {
    parts.push(
      query.match === "exact"
        ? Prisma.sql`f.bucket_name = ${query.bucket}`
        : Prisma.sql`f.bucket_name ILIKE ${containsPattern(query.bucket)} COLLATE "C"`,
    );
  }
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}

/**
 * How many findings a view holds, as SQL. Every filter but the bucket name is a column of the maintained counts (kept
 * exact by triggers on macie_finding), so a sum of counts replaces a scan of 10,000,000 findings: one account's rows
 * of macie_finding_count (a few dozen) when the view names an account, else macie_finding_region_count with its
 * deltas (every account together: a few hundred rows, where the per-account table has ≈ 550,000 at 10,000
 * accounts). A bucket filter counts the findings themselves (few).
 */
export function findingCountSql(filters: FindingFilters): Prisma.Sql {
  const where = findingWhere(filters);
  if (filters.bucket) return Prisma.sql`SELECT COUNT(*) AS n FROM macie_finding f WHERE ${where}`;
  if (filters.account) {
    return Prisma.sql`SELECT COALESCE(SUM(f.n), 0)::bigint AS n FROM macie_finding_count f WHERE ${where}`;
  }
  return Prisma.sql`SELECT COALESCE(SUM(f.n), 0)::bigint AS n
    FROM (SELECT region, type, category, severity_score, archived, n FROM macie_finding_region_count
          UNION ALL
          SELECT region, type, category, severity_score, archived, n FROM macie_finding_region_count_delta) f
   WHERE ${where}`;
}

/**
 * A list page counts a bucket-name search (the one filter the counts table cannot count) only this far: "1–50 of
 * more than 10,000 findings". Such a count reads every matching finding, and a short name fragment can match a good
 * part of 10,000,000; counting stops at the limit instead (`count=all` counts to the end).
 */
export const FINDING_COUNT_LIMIT = 10_000;

/** The COUNT statement of a list page: exact from the counts table, else up to FINDING_COUNT_LIMIT + 1 findings. */
export function findingListCountSql(
  filters: FindingFilters,
  { toTheEnd = false, limit = FINDING_COUNT_LIMIT }: { toTheEnd?: boolean; limit?: number } = {},
): { sql: Prisma.Sql; exact: boolean } {
  if (!filters.bucket || toTheEnd) return { sql: findingCountSql(filters), exact: true };
  return {
    sql: Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM macie_finding f WHERE ${findingWhere(filters)}
                      LIMIT ${limit + 1}) c`,
    exact: false,
  };
}

export async function countFindings(actor: Actor | null, filters: FindingFilters): Promise<number> {
  authorize(actor, "findings:read");
  const [row] = await db().$queryRaw<{ n: bigint }[]>(findingCountSql(filters));
  return Number(row?.n ?? 0);
}

type FindingDbRow = {
  id: string;
  account_id: string;
  account_name: string | null;
  region: string;
  bucket_name: string;
  bucket_id: number | null;
  type: string;
  category: string;
  severity: string;
  severity_score: number;
  count: number;
  sensitive_data_categories: string[];
  created_at: Date;
  updated_at: Date;
  archived: boolean;
};

export async function listFindings(
  actor: Actor | null,
  query: FindingQuery,
  /** Where a bucket-name search stops counting (FINDING_COUNT_LIMIT; smaller in tests). */
  { countLimit = FINDING_COUNT_LIMIT }: { countLimit?: number } = {},
) {
  authorize(actor, "findings:read");
  const where = findingWhere(query);
  const client = db();
  const { page: _page, pageSize: _pageSize, count: toTheEnd, ...filters } = query;
  const countSql = findingListCountSql(filters, { toTheEnd: toTheEnd === "all", limit: countLimit });
  const [[count], rows] = await Promise.all([
    client.$queryRaw<{ n: bigint }[]>(countSql.sql),
    client.$queryRaw<FindingDbRow[]>`
      WITH page AS (
        -- The page first (an index walk over ids only), then the joins for its rows: joining before OFFSET would look
        -- up the account and bucket of every skipped finding too.
        SELECT f.id FROM macie_finding f WHERE ${where}
         ORDER BY f.severity_score DESC, f.created_at DESC, f.id DESC
         LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize})
      SELECT f.id, f.account_id, a.name AS account_name, f.region, f.bucket_name, bk.id AS bucket_id, f.type, f.category,
             f.severity, f.severity_score, f.count, f.sensitive_data_categories, f.created_at, f.updated_at, f.archived
        FROM page JOIN macie_finding f ON f.id = page.id
        LEFT JOIN account a ON a.id = f.account_id
        LEFT JOIN LATERAL (SELECT b.id FROM bucket b WHERE b.account_id = f.account_id AND b.name = f.bucket_name
                            ORDER BY b.gone_at NULLS FIRST, b.id DESC LIMIT 1) bk ON TRUE
       ORDER BY f.severity_score DESC, f.created_at DESC, f.id DESC`,
  ]);
  let total = Number(count?.n ?? 0);
  let totalIsLowerBound = !countSql.exact && total > countLimit;
  if (totalIsLowerBound && rows.length === 0 && query.page > 1) {
    // A page past the end of a long list: only the exact count can say which page is the last.
    const [exact] = await client.$queryRaw<{ n: bigint }[]>(findingCountSql(filters));
    total = Number(exact?.n ?? 0);
    totalIsLowerBound = false;
  } else if (totalIsLowerBound) total = countLimit;
  return {
    total,
    totalIsLowerBound,
    page: query.page,
    pageSize: query.pageSize,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
    rows: rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      accountName: r.account_name,
      region: r.region,
      bucketName: r.bucket_name,
      bucketId: r.bucket_id,
      type: r.type,
      category: r.category,
      severity: r.severity,
      severityScore: r.severity_score,
      count: r.count,
      sensitiveDataCategories: r.sensitive_data_categories,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      archived: r.archived,
    })),
  };
}

export type FindingRow = Awaited<ReturnType<typeof listFindings>>["rows"][number];

/**
 * The values the filters offer: small distinct lists (types and regions are few). Accounts are searched as the user
 * types (GET /api/account-options); only the account the view is filtered by is read here.
 */
export async function findingFilterOptions(actor: Actor | null, selected: { account?: string } = {}) {
  authorize(actor, "findings:read");
  const client = db();
  const [account, types, regions] = await Promise.all([
    accountOption(actor, selected.account),
    distinctIndexedValues("macie_finding", "type"),
    client.$queryRaw<
      { region: string }[]
    >`SELECT DISTINCT region FROM account_region WHERE collector = 'macie' ORDER BY 1`,
  ]);
  return { account, types, regions: regions.map((r) => r.region) };
}

/**
 * A bucket's Macie findings (the latest 25 and how many there are) for its page: findings:read, like /findings —
 * a role that may not list findings does not see them on a bucket page either (issue 13).
 */
export async function getBucketFindings(actor: Actor | null, bucket: { accountId: string; name: string }) {
  authorize(actor, "findings:read");
  const client = db();
  const [findings, total] = await Promise.all([
    client.macieFinding.findMany({
      where: { accountId: bucket.accountId, bucketName: bucket.name },
      orderBy: [{ archived: "asc" }, { severityScore: "desc" }, { createdAt: "desc" }],
      take: 25,
      select: {
        id: true,
        type: true,
        category: true,
        severity: true,
        count: true,
        sensitiveDataCategories: true,
        createdAt: true,
        archived: true,
      },
    }),
    client.macieFinding.count({ where: { accountId: bucket.accountId, bucketName: bucket.name } }),
  ]);
  return { findings, total };
}

/**
 * A bucket's Macie discovery profile (sensitivity score, monitoring, classifiable size): part of the bucket's own
 * picture, like its level and the sensitive-data control, so buckets:read.
 */
export async function getBucketMacieProfile(actor: Actor | null, bucket: { accountId: string; name: string }) {
  authorize(actor, "buckets:read");
  const profile = await db().macieBucketProfile.findUnique({
    where: { accountId_bucketName: { accountId: bucket.accountId, bucketName: bucket.name } },
    select: {
      sensitivityScore: true,
      classifiableObjectCount: true,
      classifiableSizeInBytes: true,
      lastAutomatedDiscoveryTime: true,
      monitoringStatus: true,
    },
  });
  return profile
    ? {
        ...profile,
        classifiableObjectCount: Number(profile.classifiableObjectCount),
        classifiableSizeInBytes: Number(profile.classifiableSizeInBytes),
      }
    : null;
}
