import "server-only";
/**
 * Account posture: the account controls' stored verdicts (account_control_result, written by
 * lib/evaluation/evaluate-account-controls.ts) per account, for the org table, one account's page and the overview's
 * counts. Read with `posture:read`, like the overview.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import { startCsvStream } from "@/lib/export/csv";
import { keysetPages } from "@/lib/export/keyset-pages";
import { stableStringify } from "@/lib/sync/stable-json";
import {
  ACCOUNT_CONTROL_CATALOG,
  ACCOUNT_CONTROL_IDS,
  BROKEN_CHAIN_CONTROL_ID,
  BROKEN_TRAIL_CONTROL_ID,
} from "@/lib/domain/account-controls/catalog";
import type { AccountPostureQuery } from "@/lib/schemas/account-posture-query";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

const PAGE_SIZE = 50;

export interface AccountControlCell {
  status: "pass" | "fail" | "unknown" | "region-not-enabled";
  reason: string;
}

export interface AccountPostureRow {
  id: string;
  name: string;
  ouPath: string;
  failing: number;
  unknown: number;
  /** By control id; a control with no stored verdict (never evaluated) is missing. */
  results: Record<string, AccountControlCell>;
  evaluatedAt: Date | null;
}

function postureWhere(query: AccountPostureQuery): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (query.control) {
    parts.push(Prisma.sql`results -> ${query.control}::text ->> 'status' = ${query.status ?? "fail"}`);
  } else if (query.status === "fail") parts.push(Prisma.sql`failing > 0`);
  else if (query.status === "unknown") parts.push(Prisma.sql`unknown > 0`);
  else if (query.status === "region-not-enabled") parts.push(Prisma.sql`not_enabled > 0`);
  else if (query.status === "pass") {
    // Every control passes: a control judged "region not enabled" is no pass.
    parts.push(Prisma.sql`passing = ${ACCOUNT_CONTROL_IDS.length}`);
  }
  if (query.ou) parts.push(Prisma.sql`(ou_path = ${query.ou} OR ou_path LIKE ${query.ou + "/%"})`);
  if (query.q) parts.push(Prisma.sql`(name ILIKE ${"%" + query.q + "%"} OR id LIKE ${query.q + "%"})`);
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

const ORDER: Record<string, Prisma.Sql> = {
  "failing-desc": Prisma.sql`failing DESC, unknown DESC, name ASC, id ASC`,
  "failing-asc": Prisma.sql`failing ASC, unknown ASC, name ASC, id ASC`,
  "name-asc": Prisma.sql`name ASC, id ASC`,
  "name-desc": Prisma.sql`name DESC, id DESC`,
  "ou-asc": Prisma.sql`ou_path ASC, name ASC, id ASC`,
  "ou-desc": Prisma.sql`ou_path DESC, name DESC, id DESC`,
};
export const ACCOUNT_POSTURE_DEFAULT_DIR = { failing: "desc", name: "asc", ou: "asc" } as const;

const perAccount = (after: string | null = null) => Prisma.sql`
  SELECT a.id, a.name, a.ou_path,
         (count(*) FILTER (WHERE c.status = 'fail'))::int AS failing,
         (count(*) FILTER (WHERE c.status = 'unknown'))::int AS unknown,
         (count(*) FILTER (WHERE c.status = 'region-not-enabled'))::int AS not_enabled,
         (count(*) FILTER (WHERE c.status = 'pass'))::int AS passing,
         count(c.control_id)::int AS controls,
         COALESCE(jsonb_object_agg(c.control_id, jsonb_build_object('status', c.status, 'reason', c.reason))
                    FILTER (WHERE c.control_id IS NOT NULL), '{}'::jsonb) AS results,
         max(c.evaluated_at) AS evaluated_at
    FROM account a LEFT JOIN account_control_result c ON c.account_id = a.id
   WHERE a.enabled ${after === null ? Prisma.empty : Prisma.sql`AND a.id > ${after}`}
   GROUP BY a.id`;
const PER_ACCOUNT = perAccount();

export async function listAccountPosture(actor: Actor | null, query: AccountPostureQuery) {
  authorize(actor, "posture:read");
  const sort = query.sort ?? "failing";
  const dir = query.dir ?? ACCOUNT_POSTURE_DEFAULT_DIR[sort];
  const offset = (query.page - 1) * PAGE_SIZE;
  const rows = await db().$queryRaw<
    {
      id: string;
      name: string;
      ou_path: string;
      failing: number;
      unknown: number;
      results: Record<string, AccountControlCell>;
      evaluated_at: Date | null;
      total: bigint;
    }[]
  >`WITH p AS (${PER_ACCOUNT})
    SELECT p.*, count(*) OVER () AS total FROM p ${postureWhere(query)}
     ORDER BY ${ORDER[`${sort}-${dir}`]!} LIMIT ${PAGE_SIZE} OFFSET ${offset}`;
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && query.page > 1) {
    const counted = await db().$queryRaw<{ n: bigint }[]>`
      WITH p AS (${PER_ACCOUNT}) SELECT count(*) AS n FROM p ${postureWhere(query)}`;
    total = Number(counted[0]?.n ?? 0);
  }
  const ous = await db().account.findMany({
    where: { enabled: true },
    distinct: ["ouPath"],
    select: { ouPath: true },
    orderBy: { ouPath: "asc" },
  });
  return {
    rows: rows.map((r): AccountPostureRow => ({
      id: r.id,
      name: r.name,
      ouPath: r.ou_path,
      failing: r.failing,
      unknown: r.unknown,
      results: r.results,
      evaluatedAt: r.evaluated_at,
    })),
    total,
    page: query.page,
    pageSize: PAGE_SIZE,
    ous: ous.map((o) => o.ouPath).filter((o) => o !== ""),
  };
}

/** One account: every control's verdict with its evidence, and the trails covering it as stored. */
export async function getAccountPosture(actor: Actor | null, accountId: string) {
  authorize(actor, "posture:read");
  const account = await db().account.findUnique({
    where: { id: accountId },
    select: {
      id: true,
      name: true,
      ouPath: true,
      enabled: true,
      lastSyncStatus: true,
      lastSuccessAt: true,
      accountControlResults: {
        select: { controlId: true, status: true, reason: true, evidence: true, evaluatedAt: true, syncRunId: true },
      },
    },
  });
  if (!account) return null;
  const trails = await db().trail.findMany({
    where: { accountId },
    orderBy: { name: "asc" },
    select: {
      arn: true,
      name: true,
      homeRegion: true,
      ownerAccountId: true,
      isOrganizationTrail: true,
      isMultiRegion: true,
      logFileValidation: true,
      s3BucketName: true,
      kmsKeyId: true,
      cloudWatchLogsLogGroupArn: true,
      readAt: true,
    },
  });
  const bucketNames = trails.map((t) => t.s3BucketName).filter((n): n is string => !!n);
  const buckets = bucketNames.length
    ? await db().bucket.findMany({
        where: { name: { in: bucketNames }, goneAt: null },
        select: { id: true, name: true, accountId: true },
      })
    : [];
  return { account, trails, trailBuckets: buckets };
}

/** The overview's two counts: accounts with no working audit trail, and with a broken bucket-change alerting chain. */
export async function getAccountPostureCounts(actor: Actor | null) {
  authorize(actor, "posture:read");
  const rows = await db().$queryRaw<{ control_id: string; n: bigint }[]>`
    SELECT c.control_id, count(*) AS n
      FROM account_control_result c JOIN account a ON a.id = c.account_id AND a.enabled
     WHERE c.status = 'fail' AND c.control_id IN (${BROKEN_TRAIL_CONTROL_ID}, ${BROKEN_CHAIN_CONTROL_ID})
     GROUP BY c.control_id`;
  const n = (id: string) => Number(rows.find((r) => r.control_id === id)?.n ?? 0);
  return {
    brokenTrail: { count: n(BROKEN_TRAIL_CONTROL_ID), controlId: BROKEN_TRAIL_CONTROL_ID },
    brokenChain: { count: n(BROKEN_CHAIN_CONTROL_ID), controlId: BROKEN_CHAIN_CONTROL_ID },
  };
}

const CSV_COLUMNS = [
  "account_id",
  "account",
  "ou_path",
  "control_id",
  "control",
  "status",
  "reason",
  "evidence",
  "evaluated_at",
  "sync_run_id",
];
const CONTROL_ORDER = new Map(ACCOUNT_CONTROL_CATALOG.map((c, i) => [c.id as string, i]));
const CONTROL_TITLE = new Map(ACCOUNT_CONTROL_CATALOG.map((c) => [c.id as string, c.title]));

/**
 * The accounts the page's filters select (its sort does not apply: accounts in id order, keyset pages of 500), one
 * line per account and stored control verdict, in catalog order, with its reason and evidence (lib/export/csv.ts:
 * formula cells neutralised). A control never evaluated for an account has no line.
 */
export async function streamAccountPostureCsv(
  actor: Actor | null,
  query: AccountPostureQuery,
  options: { batch?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  authorize(actor, "posture:read");
  const client = db();
  const pages = keysetPages(
    (after: string | null, limit) =>
      client.$queryRaw<{ id: string; name: string; ou_path: string }[]>`
        WITH p AS (${perAccount(after)})
        SELECT id, name, ou_path FROM p ${postureWhere(query)} ORDER BY id LIMIT ${limit}`,
    (last) => last.id,
    options.batch ?? 500,
  );
  return startCsvStream(CSV_COLUMNS, pages, async (page) => {
    const results = await client.accountControlResult.findMany({
      where: { accountId: { in: page.map((a) => a.id) } },
      select: {
        accountId: true,
        controlId: true,
        status: true,
        reason: true,
        evidence: true,
        evaluatedAt: true,
        syncRunId: true,
      },
    });
    const byAccount = new Map<string, typeof results>();
    for (const r of results) {
      const list = byAccount.get(r.accountId);
      if (list) list.push(r);
      else byAccount.set(r.accountId, [r]);
    }
    return page.flatMap((a) =>
      (byAccount.get(a.id) ?? [])
        .sort((x, y) => (CONTROL_ORDER.get(x.controlId) ?? 99) - (CONTROL_ORDER.get(y.controlId) ?? 99))
        .map((r) => [
          a.id,
          a.name,
          a.ou_path,
          r.controlId,
          CONTROL_TITLE.get(r.controlId) ?? "",
          r.status,
          r.reason,
          stableStringify(r.evidence),
          r.evaluatedAt.toISOString(),
          r.syncRunId ?? "",
        ]),
    );
  });
}
