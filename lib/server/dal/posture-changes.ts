import "server-only";
/**
 * What the overview leads with besides its counters: what the last sync changed (newly public, newly reachable from
 * outside, newly failing — the difference of the last two posture snapshots, lib/sync/posture-history.ts, computed in
 * SQL), failing buckets per level (the maintained counters), and the trend of the headline
 * numbers (the organisation's daily coverage rows, CoverageDaily, which every sync writes).
 */
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/server/db";
import { currentLevels } from "@/lib/server/dal/buckets";
import { authorize, type Actor } from "@/lib/server/permissions";
import { ACCOUNT_LEVEL_TALLY_ROWS } from "@/lib/server/sql/tally";

/** How many buckets of each "newly …" list are named (the rest is a count). */
export const CHANGE_NAMES = 5;
export const TREND_DAYS = 14;

const CHANGE_KINDS = [
  { key: "public", column: "public_ids", label: "Newly public" },
  { key: "reachable", column: "reachable_ids", label: "Newly reachable from outside" },
  { key: "failing", column: "failing_ids", label: "Newly failing a required control" },
] as const;

export interface PostureChange {
  key: (typeof CHANGE_KINDS)[number]["key"];
  label: string;
  count: number;
  /** Up to CHANGE_NAMES of them (still live), by name. */
  buckets: { id: number; name: string; accountId: string }[];
}

/** A bucket that got worse after the last sync, as AWS reported the change (lib/events), with who made it. */
export interface ChangeSinceSync {
  id: number;
  name: string;
  accountId: string;
  at: Date;
  actorArn: string | null;
  becamePublic: boolean;
  /** Reachable from outside the organisation now (and not public: that is said as public). */
  becameReachable: boolean;
  newlyFailing: string[];
}

export interface PostureChanges {
  /** The last finished sync with a snapshot, and the one before (null: nothing to compare with yet). */
  latest: { at: Date } | null;
  previous: { at: Date } | null;
  changes: PostureChange[];
  /** Since the latest sync: buckets change events made worse (newest first, up to CHANGE_NAMES × 4). */
  sinceEvents: ChangeSinceSync[];
}

type VerdictJson = { exposure?: string | null; outsideReach?: string | null; failing?: string[] } | null;

/** Buckets that change events made worse since `since`: the first verdict before against the last one after. */
async function changesSinceFromEvents(since: Date): Promise<ChangeSinceSync[]> {
  const rows = await db().$queryRaw<
    {
      id: number;
      name: string;
      account_id: string;
      at: Date;
      actor: string | null;
      before: VerdictJson;
      after: VerdictJson;
    }[]
  >`
    SELECT b.id, b.name, b.account_id, MAX(e.event_time) AS at,
           (array_agg(e.actor_arn ORDER BY e.event_time DESC))[1] AS actor,
           (array_agg(e.verdict_before ORDER BY e.event_time ASC))[1] AS before,
           (array_agg(e.verdict_after ORDER BY e.event_time DESC))[1] AS after
      FROM bucket_change_event e JOIN bucket b ON b.id = e.bucket_id AND b.gone_at IS NULL
     WHERE e.received_at > ${since} AND e.refresh_id IS NOT NULL
     GROUP BY b.id, b.name, b.account_id
     ORDER BY at DESC
     LIMIT 200`;
  const out: ChangeSinceSync[] = [];
  for (const r of rows) {
    const was = new Set(r.before?.failing ?? []);
    const newlyFailing = (r.after?.failing ?? []).filter((c) => !was.has(c));
    const becamePublic = r.after?.exposure === "public" && r.before?.exposure !== "public";
    const becameReachable =
      !becamePublic && r.after?.outsideReach === "reachable" && r.before?.outsideReach !== "reachable";
    if (becamePublic || becameReachable || newlyFailing.length)
      out.push({
        id: r.id,
        name: r.name,
        accountId: r.account_id,
        at: r.at,
        actorArn: r.actor,
        becamePublic,
        becameReachable,
        newlyFailing,
      });
    if (out.length >= CHANGE_NAMES * 4) break;
  }
  return out;
}

export async function getPostureChanges(actor: Actor | null): Promise<PostureChanges> {
  authorize(actor, "posture:read");
  const client = db();
  const runs = await client.postureSnapshot.findMany({
    orderBy: { takenAt: "desc" },
    take: 2,
    select: { syncRunId: true, takenAt: true },
  });
  const [latest, previous] = runs;
  const sinceEvents = await changesSinceFromEvents(latest?.takenAt ?? new Date(0));
  if (!latest || !previous)
    return { latest: latest ? { at: latest.takenAt } : null, previous: null, changes: [], sinceEvents };
  // Written with the snapshot (lib/sync/posture-history.ts) when it was compared with the one before it; a snapshot
  // written otherwise (before that existed, or out of order) is compared here.
  const [stored] = await client.$queryRaw<{ compared_with: string | null }[]>`
    SELECT compared_with::text AS compared_with FROM posture_snapshot WHERE sync_run_id = ${latest.syncRunId}::uuid`;
  const precomputed = stored?.compared_with === previous.syncRunId;
  const changes = await Promise.all(
    CHANGE_KINDS.map(async (kind) => {
      const column = Prisma.raw(kind.column);
      const [row] = precomputed
        ? await client.$queryRaw<{ n: number; ids: number[] | null }[]>`
            SELECT COALESCE(cardinality(${Prisma.raw(`new_${kind.column}`)}), 0) AS n,
                   ${Prisma.raw(`new_${kind.column}`)}[1:${CHANGE_NAMES * 4}] AS ids
              FROM posture_snapshot WHERE sync_run_id = ${latest.syncRunId}::uuid`
        : await client.$queryRaw<{ n: number; ids: number[] | null }[]>`
            SELECT COUNT(*)::int AS n, (array_agg(d.id ORDER BY d.id))[1:${CHANGE_NAMES * 4}] AS ids
              FROM (SELECT unnest(${column}) AS id FROM posture_snapshot WHERE sync_run_id = ${latest.syncRunId}::uuid
                    EXCEPT
                    SELECT unnest(${column}) FROM posture_snapshot WHERE sync_run_id = ${previous.syncRunId}::uuid) d`;
      const ids = row?.ids ?? [];
      const buckets = ids.length
        ? await client.bucket.findMany({
            where: { id: { in: ids }, goneAt: null },
            select: { id: true, name: true, accountId: true },
            orderBy: { name: "asc" },
            take: CHANGE_NAMES,
          })
        : [];
      return { key: kind.key, label: kind.label, count: row?.n ?? 0, buckets };
    }),
  );
  return { latest: { at: latest.takenAt }, previous: { at: previous.takenAt }, changes, sinceEvents };
}

export interface FailingByLevel {
  /** A level key, or null for unclassified buckets (held to the fallback level). */
  levelKey: string | null;
  label: string;
  failing: number;
  total: number;
}

export async function getFailingByLevel(actor: Actor | null): Promise<FailingByLevel[]> {
  authorize(actor, "posture:read");
  const [levels, rows] = await Promise.all([
    currentLevels(actor),
    // From the maintained counters summed per account and level (lib/server/sql/tally.ts), not a scan of every bucket.
    db().$queryRaw<
      { level_key: string; failing: bigint; total: bigint; unclassified_failing: bigint; unclassified: bigint }[]
    >`
      SELECT t.level_key, SUM(t.failing) AS failing, SUM(t.buckets) AS total,
             SUM(t.fallback_failing) AS unclassified_failing, SUM(t.source_fallback) AS unclassified
        FROM ${ACCOUNT_LEVEL_TALLY_ROWS} t
       GROUP BY 1`,
  ]);
  const out: FailingByLevel[] = levels.map((l) => {
    // As the bucket list's level filter counts: unclassified buckets held to this level included.
    const r = rows.find((x) => x.level_key === l.key);
    return { levelKey: l.key, label: l.name, failing: Number(r?.failing ?? 0), total: Number(r?.total ?? 0) };
  });
  const sum = (k: "unclassified_failing" | "unclassified") => rows.reduce((n, x) => n + Number(x[k]), 0);
  out.push({ levelKey: null, label: "Unclassified", failing: sum("unclassified_failing"), total: sum("unclassified") });
  return out;
}

export interface HeadlinePoint {
  day: string;
  buckets: number;
  failing: number;
  classifiedPct: number | null;
  compliantPct: number | null;
}

export async function getHeadlineTrend(actor: Actor | null, now = new Date()): Promise<HeadlinePoint[]> {
  authorize(actor, "posture:read");
  const since = new Date(now);
  since.setUTCHours(0, 0, 0, 0);
  since.setUTCDate(since.getUTCDate() - (TREND_DAYS - 1));
  const rows = await db().coverageDaily.findMany({
    where: { scopeType: "org", scopeKey: "*", levelKey: "*", day: { gte: since } },
    orderBy: { day: "asc" },
    select: { day: true, buckets: true, classified: true, compliant: true, failing: true },
  });
  const pct = (n: number, of: number) => (of > 0 ? Math.round((1000 * n) / of) / 10 : null);
  return rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    buckets: r.buckets,
    failing: r.failing,
    classifiedPct: pct(r.classified, r.buckets),
    compliantPct: pct(r.compliant, r.buckets),
  }));
}
