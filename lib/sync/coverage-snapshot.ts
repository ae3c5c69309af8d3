/**
 * Today's coverage aggregates (per organisation, account, OU and owner × level), computed in SQL and upserted into
 * CoverageDaily. Run after every sync/evaluation; the trend chart reads these rows.
 */
import type { Db } from "@/lib/db/prisma";
import { BUCKET_TALLY_ROWS } from "@/lib/server/sql/tally";

export interface CoverageRow {
  day: Date;
  scopeType: string;
  scopeKey: string;
  levelKey: string;
  buckets: number;
  classified: number;
  compliant: number;
  failing: number;
  waived: number;
}

export async function snapshotCoverage(client: Db, at: Date): Promise<CoverageRow[]> {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const rows = await client.$queryRaw<
    {
      scope_type: string;
      scope_key: string;
      level_key: string;
      buckets: bigint;
      classified: bigint;
      compliant: bigint;
      failing: bigint;
      waived: bigint;
    }[]
  >`
    WITH b AS (
      -- The maintained counters (lib/server/sql/tally.ts): a few rows per account, not every bucket four times.
      SELECT t.account_id, a.ou_path, CASE WHEN t.has_owner THEN t.owner_tag ELSE '' END AS owner, t.level_key,
             t.buckets, t.classified, t.compliant, t.failing, t.waived_only
        FROM ${BUCKET_TALLY_ROWS} t JOIN account a ON a.id = t.account_id
    ), scoped AS (
      SELECT 'org' AS scope_type, '*' AS scope_key, * FROM b
      UNION ALL SELECT 'account', account_id, * FROM b
      UNION ALL SELECT 'ou', ou_path, * FROM b
      UNION ALL SELECT 'owner', owner, * FROM b
    )
    SELECT scope_type, scope_key, level, SUM(buckets) AS buckets, SUM(classified) AS classified,
           SUM(compliant) AS compliant, SUM(failing) AS failing, SUM(waived_only) AS waived
      FROM scoped, LATERAL (VALUES (scoped.level_key), ('*')) AS l(level)
     GROUP BY scope_type, scope_key, level
    HAVING SUM(buckets) > 0`;
  const out: CoverageRow[] = rows.map((r) => ({
    day,
    scopeType: r.scope_type,
    scopeKey: r.scope_key,
    levelKey: (r as unknown as { level: string }).level,
    buckets: Number(r.buckets),
    classified: Number(r.classified),
    compliant: Number(r.compliant),
    failing: Number(r.failing),
    waived: Number(r.waived),
  }));
  await client.$transaction([
    client.coverageDaily.deleteMany({ where: { day } }),
    client.coverageDaily.createMany({ data: out }),
  ]);
  return out;
}
