import "server-only";
/**
 * The security lead's overview. Every counter is defined as a bucket view (a BucketFilters object) and counted as the
 * list counts that view (the maintained counters, which the tests hold equal to the list's where-clause), so each
 * number is exactly what its link to /buckets shows.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import type { ControlId } from "@/lib/domain/controls/control-ids";
import type { RiskTerm } from "@/lib/domain/risk/compute-risk-score";
import type { BucketFilters } from "@/lib/schemas/bucket-query";
import type { FindingFilters } from "@/lib/schemas/finding-query";
import { db } from "@/lib/server/db";
import { bucketCountSql, currentLevels } from "@/lib/server/dal/buckets";
import { findingCountSql } from "@/lib/server/dal/findings";
import { authorize, type Actor } from "@/lib/server/permissions";
import { FAILING_BY_CONTROL_SQL, tallySumColumn, tallySumsSql } from "@/lib/server/sql/tally";

/** An account's data is stale when its last successful sync is older than this, or its latest sync failed. */
export const STALE_AFTER_HOURS = 48;
/** Accounts with stale data the overview names (all of them are counted). */
export const STALE_ACCOUNTS_SHOWN = 20;

export interface PostureCounter {
  key: string;
  label: string;
  hint: string;
  count: number;
  /** The bucket view behind the number (link to /buckets with these filters). */
  view: BucketFilters;
  tone: "neutral" | "bad" | "warn";
}

/** The overview's counters, each defined as a bucket view (so its link shows exactly what it counts). */
export function postureCounters(levels: { key: string; name: string }[]): Omit<PostureCounter, "count">[] {
  return [
    {
      key: "in-scope",
      label: "Buckets in scope",
      hint: "every bucket currently listed in a linked account",
      view: {},
      tone: "neutral",
    },
    {
      key: "public",
      label: "Public buckets",
      hint: "readable by anyone after Block Public Access, ACL and policy",
      view: { exposure: "public" },
      tone: "bad",
    },
    {
      key: "failing",
      label: "Failing a required control",
      hint: "at least one control their level requires fails",
      view: { failing: true },
      tone: "bad",
    },
    ...levels.map((l) => ({
      key: `failing-${l.key}`,
      label: `${l.name}: failing`,
      hint: `${l.name} buckets failing a required control`,
      view: { failing: true, level: l.key } as BucketFilters,
      tone: "bad" as const,
    })),
    {
      key: "unknown",
      label: "Unknowns",
      hint: "a required control could not be checked (never counted as a pass)",
      view: { unknown: true },
      tone: "warn",
    },
    {
      key: "unclassified",
      label: "Unclassified",
      hint: "no classification; evaluated against the fallback level",
      view: { source: "fallback" },
      tone: "warn",
    },
    {
      key: "macie-high",
      label: "Macie high severity",
      hint: "buckets with a high-severity Macie finding",
      view: { macie: "high" },
      tone: "bad",
    },
    {
      key: "data-outranks-level",
      label: "Data outranks its level",
      hint: "Macie found data more sensitive than the bucket's level allows",
      // Observed, not status: the mismatch matters whether or not the bucket's level lists this control as required.
      view: { control: "sensitive-data-matches-level", observed: "fail" },
      tone: "bad",
    },
    {
      key: "config-disagree",
      label: "AWS Config disagrees",
      hint: "Config's verdict differs from Custody's on some control",
      view: { config: "disagree" },
      tone: "warn",
    },
  ];
}

/**
 * All the overview's counters in one statement (column c<i> = counters[i]); exported for the read benchmark. Each is
 * a bucket view counted from the maintained counters (lib/server/sql/tally.ts): the views on bucket's own columns in
 * one pass over bucket_tally (≈ 10 rows per account), a control's verdict from control_tally. A view the counters
 * cannot count is counted by the list's own count statement, cross-joined as one more one-row column — never as
 * `COUNT(*) FILTER` over bucket with an EXISTS or `IN (subquery)` inside (a SubPlan per bucket row: at 1,000,000
 * buckets the overview did not finish).
 */
export function postureCountsSql(counters: { view: BucketFilters }[]): Prisma.Sql {
  const summed: { column: string; view: BucketFilters }[] = [];
  const columns: Prisma.Sql[] = [Prisma.sql`s.*`];
  const joins: Prisma.Sql[] = [];
  counters.forEach(({ view }, i) => {
    if (tallySumColumn(view)) summed.push({ column: `c${i}`, view });
    else {
      const alias = Prisma.raw(`j${i}`);
      columns.push(Prisma.sql`${alias}.n AS ${Prisma.raw(`c${i}`)}`);
      joins.push(Prisma.sql`CROSS JOIN (${bucketCountSql(view)}) ${alias}`);
    }
  });
  return Prisma.sql`SELECT ${Prisma.join(columns, ", ")}
    FROM (${tallySumsSql(summed)}) s ${joins.length ? Prisma.join(joins, " ") : Prisma.empty}`;
}

export async function getPostureOverview(actor: Actor | null, now = new Date()) {
  authorize(actor, "posture:read");
  const client = db();
  const levels = await currentLevels(actor);

  const counters = postureCounters(levels);

  const highFindings: FindingFilters = { severity: "High" };
  const staleBefore = new Date(now.getTime() - STALE_AFTER_HOURS * 3600_000);

  // Failed, partial (some regions could not be read) or stale: nothing missing may disappear silently. Counted
  // whole; the oldest STALE_ACCOUNTS_SHOWN are named (a day without syncs at 10,000 accounts would list them all).
  const staleWhere: Prisma.AccountWhereInput = {
    enabled: true,
    OR: [
      { lastSyncStatus: { in: ["failed", "partial"] } },
      { lastSuccessAt: null },
      { lastSuccessAt: { lt: staleBefore } },
    ],
  };
  const [[countRow], [findingRow], riskiest, failingControls, staleAccounts, staleAccountCount] = await Promise.all([
    client.$queryRaw<Record<string, bigint>[]>(postureCountsSql(counters)),
    client.$queryRaw<{ n: bigint }[]>(findingCountSql(highFindings)),
    client.bucket.findMany({
      where: { goneAt: null },
      orderBy: [{ riskScore: "desc" }, { id: "desc" }], // the bucket list's default order (ties: newest id first)
      take: 10,
      select: {
        id: true,
        name: true,
        accountId: true,
        region: true,
        levelKey: true,
        levelSource: true,
        exposure: true,
        riskScore: true,
        riskTerms: true,
      },
    }),
    client.$queryRaw<{ control_id: string; n: bigint }[]>(FAILING_BY_CONTROL_SQL),
    client.account.findMany({
      where: staleWhere,
      orderBy: [{ lastSuccessAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
      take: STALE_ACCOUNTS_SHOWN,
      select: { id: true, name: true, lastSyncStatus: true, lastSuccessAt: true, lastError: true },
    }),
    client.account.count({ where: staleWhere }),
  ]);

  return {
    counters: counters.map((c, i) => ({ ...c, count: Number(countRow?.[`c${i}`] ?? 0) })) as PostureCounter[],
    highSeverityFindings: { count: Number(findingRow?.n ?? 0), view: highFindings },
    riskiest: riskiest.map(({ riskTerms, ...b }) => {
      const terms = Array.isArray(riskTerms) ? (riskTerms as unknown as RiskTerm[]) : [];
      const top = terms.reduce<RiskTerm | null>(
        (best, t) => (best === null || t.points > best.points ? t : best),
        null,
      );
      return { ...b, topReason: top, termCount: terms.filter((t) => t.points > 0).length };
    }),
    failingControls: failingControls.map((r) => ({
      controlId: r.control_id as ControlId,
      title: CONTROL_CATALOG.find((c) => c.id === r.control_id)?.title ?? r.control_id,
      count: Number(r.n),
      view: { control: r.control_id as ControlId, status: "fail" } satisfies BucketFilters,
    })),
    staleAccounts,
    staleAccountCount,
    staleAfterHours: STALE_AFTER_HOURS,
    levels,
  };
}
