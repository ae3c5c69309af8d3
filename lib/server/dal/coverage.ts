import "server-only";
/**
 * The manager's coverage view: per account, OU or owner, how many buckets carry a classification and how many meet
 * everything their level requires — one GROUP BY over bucket with the bucket list's own where-clause (so drill-down
 * links show the same numbers) — and the trend from the daily aggregates (CoverageDaily).
 */
import { Prisma } from "@/lib/generated/prisma/client";
import type { BucketFilters } from "@/lib/schemas/bucket-query";
import type { CoverageQuery } from "@/lib/schemas/coverage-query";
import { db } from "@/lib/server/db";
import { bucketWhere, currentLevels } from "@/lib/server/dal/buckets";
import { authorize, type Actor } from "@/lib/server/permissions";

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

export async function getCoverage(actor: Actor | null, query: CoverageQuery) {
  authorize(actor, "coverage:read");
  const client = db();
  const scope = coverageScope(query);
  const groupExpr =
    query.by === "account"
      ? Prisma.sql`b.account_id`
      : query.by === "ou"
        ? Prisma.sql`a.ou_path`
        : Prisma.sql`b.owner_tag`;
  const [levels, rows, accountNames, incomplete, levelSources] = await Promise.all([
    currentLevels(actor),
    client.$queryRaw<
      {
        k: string | null;
        level_key: string | null;
        buckets: bigint;
        classified: bigint;
        compliant: bigint;
        waived: bigint;
        failing: bigint;
      }[]
    >`
      SELECT ${groupExpr} AS k, b.level_key, COUNT(*) AS buckets,
             COUNT(*) FILTER (WHERE b.classified) AS classified,
             COUNT(*) FILTER (WHERE b.compliant) AS compliant,
             COUNT(*) FILTER (WHERE b.waived_required > 0) AS waived,
             COUNT(*) FILTER (WHERE b.failing_required > 0) AS failing
        FROM bucket b JOIN account a ON a.id = b.account_id
       WHERE ${bucketWhere(scope)}
       GROUP BY 1, 2`,
    query.by === "account" ? client.account.findMany({ select: { id: true, name: true } }) : Promise.resolve([]),
    incompleteAccounts(actor, scope),
    client.$queryRaw<{ level_key: string | null; level_source: string; classified: boolean; buckets: bigint }[]>`
      SELECT b.level_key, b.level_source, b.classified, COUNT(*) AS buckets
        FROM bucket b JOIN account a ON a.id = b.account_id
       WHERE ${bucketWhere(scope)}
       GROUP BY 1, 2, 3`,
  ]);
  const byLevel: LevelClassification[] = levels.map((l) => ({
    key: l.key,
    name: l.name,
    manual: 0,
    cloudtrail: 0,
    tag: 0,
    unclassified: 0,
  }));
  for (const r of levelSources) {
    const level = byLevel.find((l) => l.key === r.level_key);
    if (!level) continue; // not evaluated yet: no level to show it under
    const n = Number(r.buckets);
    if (!r.classified) level.unclassified += n;
    else if (r.level_source === "manual") level.manual += n;
    else if (r.level_source === "cloudtrail") level.cloudtrail += n;
    else level.tag += n;
  }
  const problemOf = new Map(incomplete.map((a) => [a.id, a]));
  const names = new Map(accountNames.map((a) => [a.id, a.name]));
  const groups = new Map<string, CoverageGroup>();
  for (const r of rows) {
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
      const label =
        query.by === "account"
          ? `${names.get(r.k ?? "") ?? r.k}`
          : r.k === null || r.k === ""
            ? query.by === "owner"
              ? "(no owner tag)"
              : "(no OU)"
            : r.k;
      const readProblem = query.by === "account" ? (problemOf.get(r.k ?? "") ?? null) : null;
      g = {
        key: r.k,
        label,
        view,
        buckets: 0,
        classified: 0,
        compliant: 0,
        waived: 0,
        failing: 0,
        failingByLevel: {},
        readProblem,
      };
      groups.set(id, g);
    }
    g.buckets += Number(r.buckets);
    g.classified += Number(r.classified);
    g.compliant += Number(r.compliant);
    g.waived += Number(r.waived);
    g.failing += Number(r.failing);
    if (r.level_key) g.failingByLevel[r.level_key] = (g.failingByLevel[r.level_key] ?? 0) + Number(r.failing);
  }
  // An account that could never be read has no buckets, so no group: it must not vanish from the list.
  if (query.by === "account") {
    for (const a of incomplete) {
      if (!groups.has(a.id)) {
        groups.set(a.id, {
          key: a.id,
          label: a.name,
          view: { ...scope, account: a.id },
          buckets: 0,
          classified: 0,
          compliant: 0,
          waived: 0,
          failing: 0,
          failingByLevel: {},
          readProblem: a,
        });
      }
    }
  }
  const list = [...groups.values()].sort((a, b) => b.buckets - a.buckets || a.label.localeCompare(b.label));
  const total = list.reduce(
    (t, g) => ({
      buckets: t.buckets + g.buckets,
      classified: t.classified + g.classified,
      compliant: t.compliant + g.compliant,
      waived: t.waived + g.waived,
      failing: t.failing + g.failing,
    }),
    { buckets: 0, classified: 0, compliant: 0, waived: 0, failing: 0 },
  );
  return { by: query.by, scope, levels, byLevel, groups: list, total, incomplete };
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
