import "server-only";
/** Linked accounts with their sync freshness. ExternalIds are only returned to roles that may manage accounts. */
import { Prisma } from "@/lib/generated/prisma/client";
import { settings } from "@/lib/env";
import type { AccountListQuery } from "@/lib/schemas/account-list-query";
import { ACCOUNTS_PER_PAGE } from "@/lib/schemas/account-list-query";
import { db } from "@/lib/server/db";
import { authorize, can, type Actor } from "@/lib/server/permissions";

/** Unlinked accounts the page names before "and n more" (they are not synced; what was read from them stays). */
export const UNLINKED_SHOWN = 100;

const ACCOUNT_ROW_SELECT = {
  id: true,
  name: true,
  ouPath: true,
  owner: true,
  roleArn: true,
  externalId: true,
  enabled: true,
  lastSyncStatus: true,
  lastSyncAt: true,
  lastSuccessAt: true,
  lastError: true,
  lastErrorCode: true,
  lastTestAt: true,
  lastTestOk: true,
  lastTestMessage: true,
  lastTestWarning: true,
  linkedBy: true,
  unlinkedAt: true,
  regions: {
    select: { region: true, collector: true, lastSuccessAt: true, lastAttemptAt: true, lastError: true },
    orderBy: [{ region: "asc" as const }, { collector: "asc" as const }],
  },
} satisfies Prisma.AccountSelect;

/**
 * One page of the linked accounts (by OU, then name), matching a search on name or id and the latest sync's outcome,
 * with each one's live bucket count and last change event; and the unlinked accounts (the first UNLINKED_SHOWN, and
 * how many there are). Counts and events are read for the page's accounts only: at 10,000 accounts the whole list
 * was 87 MB of HTML and 15 s.
 */
export async function listAccounts(
  actor: Actor | null,
  query: AccountListQuery = { page: 1 },
  { pageSize = ACCOUNTS_PER_PAGE }: { pageSize?: number } = {},
) {
  authorize(actor, "accounts:read");
  const showExternalId = can(actor, "accounts:manage");
  const literal = query.q?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const where: Prisma.AccountWhereInput = {
    enabled: true,
    ...(query.status ? { lastSyncStatus: query.status } : {}),
    // Prisma's `contains` is a LIKE that leaves % and _ as wildcards: escaped, the text matches literally.
    ...(literal ? { OR: [{ name: { contains: literal, mode: "insensitive" } }, { id: { contains: literal } }] } : {}),
  };
  const client = db();
  const [total, page, unlinkedTotal, unlinked] = await Promise.all([
    client.account.count({ where }),
    client.account.findMany({
      where,
      orderBy: [{ ouPath: "asc" }, { name: "asc" }, { id: "asc" }],
      skip: (query.page - 1) * pageSize,
      take: pageSize,
      select: ACCOUNT_ROW_SELECT,
    }),
    client.account.count({ where: { enabled: false } }),
    client.account.findMany({
      where: { enabled: false },
      orderBy: [{ unlinkedAt: { sort: "desc", nulls: "last" } }, { name: "asc" }],
      take: UNLINKED_SHOWN,
      select: ACCOUNT_ROW_SELECT,
    }),
  ]);
  const ids = [...page, ...unlinked].map((a) => a.id);
  const [bucketCounts, lastEventRows] = await Promise.all([
    client.bucket.groupBy({
      by: ["accountId"],
      where: { goneAt: null, accountId: { in: ids } },
      _count: { _all: true },
    }),
    // Whether bucket-change events arrive: the last one received per account (index account_id, received_at).
    client.bucketChangeEvent.groupBy({
      by: ["accountId"],
      where: { accountId: { in: ids } },
      _max: { receivedAt: true },
    }),
  ]);
  const counts = new Map(bucketCounts.map((c) => [c.accountId, c._count._all]));
  const lastEvents = new Map(lastEventRows.map((e) => [e.accountId, e._max.receivedAt]));
  const row = ({ externalId, ...a }: (typeof page)[number]) => ({
    ...a,
    externalId: showExternalId ? externalId : null,
    buckets: counts.get(a.id) ?? 0,
    lastEventAt: lastEvents.get(a.id) ?? null,
  });
  return {
    accounts: page.map(row),
    total,
    page: query.page,
    pageSize,
    unlinked: unlinked.map(row),
    unlinkedTotal,
  };
}

/**
 * Show "last change event received" per account: when the bucket-change queue is configured, or events have arrived
 * before (an account with none then stands out: its trail or its event rule is missing).
 */
export async function changeEventsInUse(actor: Actor | null): Promise<boolean> {
  authorize(actor, "accounts:read");
  if (settings().CUSTODY_EVENTS_QUEUE_URL) return true;
  return (await db().bucketChangeEvent.findFirst({ select: { eventId: true } })) !== null;
}

export type AccountRow = Awaited<ReturnType<typeof listAccounts>>["accounts"][number];

/** How many accounts an account filter suggests at once. */
export const ACCOUNT_OPTIONS_LIMIT = 20;

/**
 * Accounts whose name or id contains the typed text, for the account filters of the bucket and findings lists (a
 * search box rather than a 1,000-entry select: each list page would otherwise carry every account). Anyone who may
 * read buckets sees account names and ids on the bucket list already.
 */
export async function searchAccountOptions(
  actor: Actor | null,
  { q }: { q: string },
): Promise<{ accounts: { id: string; name: string }[]; more: boolean }> {
  authorize(actor, "buckets:read");
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db().$queryRaw<{ id: string; name: string }[]>`
    SELECT id, name FROM account
     WHERE ${q === "" ? Prisma.sql`TRUE` : Prisma.sql`(name ILIKE ${pattern} OR id LIKE ${pattern})`}
     ORDER BY name, id LIMIT ${ACCOUNT_OPTIONS_LIMIT + 1}`;
  return { accounts: rows.slice(0, ACCOUNT_OPTIONS_LIMIT), more: rows.length > ACCOUNT_OPTIONS_LIMIT };
}

/** The account a filter currently holds (its name for the search box), or null when there is none. */
export async function accountOption(
  actor: Actor | null,
  id: string | undefined,
): Promise<{ id: string; name: string } | null> {
  authorize(actor, "buckets:read");
  if (!id) return null;
  return db().account.findUnique({ where: { id }, select: { id: true, name: true } });
}
