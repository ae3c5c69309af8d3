/**
 * Today's coverage aggregates (per organisation, account, OU and owner × level), computed in SQL and upserted into
 * CoverageDaily. Run after every sync/evaluation; the trend chart reads these rows.
 */
import type { Db } from "@/lib/db/prisma";

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
      SELECT b.account_id, a.ou_path, COALESCE(b.owner_tag, '') AS owner, COALESCE(b.level_key, '') AS level_key,
             b.classified, b.compliant, b.failing_required, b.waived_required
        FROM bucket b JOIN account a ON a.id = b.account_id
       WHERE b.gone_at IS NULL
    ), scoped AS (
      SELECT 'org' AS scope_type, '*' AS scope_key, * FROM b
      UNION ALL SELECT 'account', account_id, * FROM b
      UNION ALL SELECT 'ou', ou_path, * FROM b
      UNION ALL SELECT 'owner', owner, * FROM b
    )
    SELECT scope_type, scope_key, level, COUNT(*) AS buckets,
           COUNT(*) FILTER (WHERE classified) AS classified,
           COUNT(*) FILTER (WHERE compliant) AS compliant,
           COUNT(*) FILTER (WHERE failing_required > 0) AS failing,
           COUNT(*) FILTER (WHERE waived_required > 0 AND failing_required = 0) AS waived
      FROM scoped, LATERAL (VALUES (scoped.level_key), ('*')) AS l(level)
     GROUP BY scope_type, scope_key, level`;
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
