import "server-only";
/**
 * Counts of bucket views served from the maintained counters (migrations bucket_tally, account_level_tally; issue
 * 19): `bucket_tally` counts live buckets per (account, level, owner) for each one-condition view
 * (`account_level_tally` the same summed over owners, read by views with no owner filter), `control_tally` counts
 * control results per (control, status, observed). All are exact (statement-level triggers append every change to a
 * delta table; a count sums counter + delta in one snapshot), so a number served here is the number the list's own
 * where-clause (`bucketWhere`) would count — tests/integration/tally.test.ts holds them equal over random estates and
 * writes.
 * At 1,000,000 buckets a count here sums ≈ 10⁴–10⁵ small rows instead of scanning the bucket table.
 *
 * Which views: any mix of scope filters (account, OU, level, owner / unowned) with at most one condition (exposure,
 * level source, failing, unknown, waived, compliant, Config disagreement, Macie severity) — the overview's counters,
 * coverage's groups and the list's broad views; and a control's verdict alone. Any other view (region, search, tag,
 * two conditions, a control with another filter) returns null: `bucketCountSql` counts it by its where-clause, and
 * the list stops counting it at 10,001 (`bucketListCountSql`).
 * A query helper, not a DAL function: the DAL functions that call it have authorized first.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import type { BucketFilters } from "@/lib/schemas/bucket-query";

/** How the counters treat each filter: part of the group key, one counted condition, or not countable here. */
const FILTER_ROLE: Record<keyof BucketFilters, "scope" | "condition" | "control" | "scan"> = {
  account: "scope",
  ou: "scope",
  level: "scope",
  owner: "scope",
  unowned: "scope",
  exposure: "condition",
  source: "condition",
  failing: "condition",
  unknown: "condition",
  waived: "condition",
  compliant: "condition",
  config: "condition",
  macie: "condition",
  control: "control",
  status: "control",
  observed: "control",
  region: "scan",
  q: "scan",
  tag: "scan",
};

/** The bucket_tally column (or expression over its columns) that counts a one-condition view. */
function conditionColumn(filters: BucketFilters): Prisma.Sql | null {
  const conditions = (Object.keys(FILTER_ROLE) as (keyof BucketFilters)[]).filter(
    (k) => FILTER_ROLE[k] === "condition" && filters[k] !== undefined,
  );
  if (conditions.length === 0) return Prisma.sql`t.buckets`;
  if (conditions.length > 1) return null;
  switch (conditions[0]) {
    case "exposure":
      return Prisma.raw(
        {
          public: "t.exposure_public",
          "not-public": "t.exposure_not_public",
          unknown: "t.exposure_unknown",
          outside: "t.outside_reachable",
        }[filters.exposure!],
      );
    case "source":
      return Prisma.raw(`t.source_${filters.source!}`);
    case "failing":
      return Prisma.sql`t.failing`;
    case "unknown":
      return Prisma.sql`t.unknown`;
    case "waived":
      return Prisma.sql`t.waived`;
    case "compliant":
      return filters.compliant === "yes" ? Prisma.sql`t.compliant` : Prisma.sql`(t.buckets - t.compliant)`;
    case "config":
      return Prisma.sql`t.config_disagree`;
    case "macie":
      return Prisma.raw(`t.macie_${filters.macie!}`);
    default:
      return null;
  }
}

const COUNT_COLUMNS = `buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing,
  unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail,
  source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high`;

/** Every bucket_tally row with the deltas not folded yet: one snapshot of both, so a sum over it is exact. */
export const BUCKET_TALLY_ROWS = Prisma.raw(
  `(SELECT account_id, level_key, has_owner, owner_tag, ${COUNT_COLUMNS} FROM bucket_tally
    UNION ALL SELECT account_id, level_key, has_owner, owner_tag, ${COUNT_COLUMNS} FROM bucket_tally_delta)`,
);

/**
 * The same counts summed over owners: every account_level_tally row (one per account and level, ≈ a third of
 * bucket_tally's rows) with the deltas not folded yet. The fold writes both tables in one statement, so this is as
 * exact as `BUCKET_TALLY_ROWS`; it has no owner columns, so only views without an owner filter can read it.
 */
export const ACCOUNT_LEVEL_TALLY_ROWS = Prisma.raw(
  `(SELECT account_id, level_key, ${COUNT_COLUMNS} FROM account_level_tally
    UNION ALL SELECT account_id, level_key, ${COUNT_COLUMNS} FROM bucket_tally_delta)`,
);

/**
 * The smallest set of counter rows that can count every one of `views`: the per-(account, level) rollup, unless one
 * of them filters by owner.
 */
export function tallyRowsFor(...views: Pick<BucketFilters, "owner" | "unowned">[]): Prisma.Sql {
  return views.some((v) => v.owner !== undefined || v.unowned !== undefined)
    ? BUCKET_TALLY_ROWS
    : ACCOUNT_LEVEL_TALLY_ROWS;
}

/** The scope filters as a condition on a bucket_tally row `t` (OU through the account). */
export function tallyScopeSql(filters: Pick<BucketFilters, "account" | "ou" | "level" | "owner" | "unowned">) {
  const parts: Prisma.Sql[] = [Prisma.sql`true`];
  if (filters.account) parts.push(Prisma.sql`t.account_id = ${filters.account}`);
  if (filters.ou) {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM account ou_a WHERE ou_a.id = t.account_id AND ou_a.ou_path = ${filters.ou})`,
    );
  }
  if (filters.level) parts.push(Prisma.sql`t.level_key = ${filters.level}`);
  if (filters.owner) parts.push(Prisma.sql`t.has_owner AND t.owner_tag = ${filters.owner}`);
  if (filters.unowned) parts.push(Prisma.sql`NOT t.has_owner`);
  return Prisma.join(parts, " AND ");
}

/** `SELECT n` counting the view from the counters, or null when the counters cannot count it (see the module). */
export function tallyCountSql(filters: BucketFilters): Prisma.Sql | null {
  // Only filters decide what is counted: a list query also carries its sort and page, which do not.
  const used = (Object.keys(FILTER_ROLE) as (keyof BucketFilters)[]).filter((k) => filters[k] !== undefined);
  if (used.some((k) => FILTER_ROLE[k] === "scan")) return null;
  if (filters.control) {
    // A control's verdict alone: its results minus those of gone buckets (few; found by the live-filters index,
    // which leads with gone_at). Any other filter with it is counted by scanning.
    if (used.some((k) => FILTER_ROLE[k] !== "control")) return null;
    const verdict = (alias: string) => {
      const c = (column: string) => Prisma.raw(`${alias}.${column}`);
      const parts: Prisma.Sql[] = [Prisma.sql`${c("control_id")} = ${filters.control}`];
      if (filters.status || !filters.observed) parts.push(Prisma.sql`${c("status")} = ${filters.status ?? "fail"}`);
      if (filters.observed) parts.push(Prisma.sql`${c("observed")} = ${filters.observed}`);
      return Prisma.join(parts, " AND ");
    };
    return Prisma.sql`SELECT (SELECT COALESCE(SUM(t.results), 0)
                                FROM (SELECT control_id, status, observed, results FROM control_tally UNION ALL
                                      SELECT control_id, status, observed, results FROM control_tally_delta) t
                               WHERE ${verdict("t")})
                           - (SELECT COUNT(*) FROM bucket b JOIN control_result cr ON cr.bucket_id = b.id
                               WHERE b.gone_at IS NOT NULL AND ${verdict("cr")}) AS n`;
  }
  const column = conditionColumn(filters);
  if (!column) return null;
  return Prisma.sql`SELECT COALESCE(SUM(${column}), 0) AS n FROM ${tallyRowsFor(filters)} t WHERE ${tallyScopeSql(filters)}`;
}

/**
 * The bucket_tally column that counts `view` when it can be counted in one pass with other views (`tallySumsSql`):
 * a view that needs neither the account table (OU) nor control results; else null.
 */
export function tallySumColumn(view: BucketFilters): Prisma.Sql | null {
  return !view.ou && !view.control && tallyCountSql(view) ? conditionColumn(view) : null;
}

/** Several views counted in ONE pass over the counters, each as its own output column; every view must have a `tallySumColumn`. */
export function tallySumsSql(views: { column: string; view: BucketFilters }[]): Prisma.Sql {
  const sums = views.map(({ column, view }) => {
    const counted = tallySumColumn(view);
    if (!counted) throw new Error(`the counters cannot count ${JSON.stringify(view)} in one pass`);
    return Prisma.sql`COALESCE(SUM(${counted}) FILTER (WHERE ${tallyScopeSql(view)}), 0) AS ${Prisma.raw(column)}`;
  });
  const rows = tallyRowsFor(...views.map((v) => v.view));
  return Prisma.sql`SELECT ${Prisma.join(sums.length ? sums : [Prisma.sql`0 AS none`], ", ")} FROM ${rows} t`;
}

/**
 * Failing results per control on live buckets (the overview's "failing controls"): the counters minus gone
 * buckets' failing results.
 */
export const FAILING_BY_CONTROL_SQL = Prisma.sql`
  SELECT t.control_id, SUM(t.results) - COALESCE(MAX(g.n), 0) AS n
    FROM (SELECT control_id, results FROM control_tally WHERE status = 'fail'
          UNION ALL SELECT control_id, results FROM control_tally_delta WHERE status = 'fail') t
    LEFT JOIN (SELECT cr.control_id, COUNT(*) AS n FROM bucket b JOIN control_result cr ON cr.bucket_id = b.id
                WHERE b.gone_at IS NOT NULL AND cr.status = 'fail' GROUP BY 1) g ON g.control_id = t.control_id
   GROUP BY t.control_id
  HAVING SUM(t.results) - COALESCE(MAX(g.n), 0) > 0
   ORDER BY n DESC, t.control_id`;
