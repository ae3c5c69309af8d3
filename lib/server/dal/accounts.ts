import "server-only";
/** Linked accounts with their sync freshness. ExternalIds are only returned to roles that may manage accounts. */
import { db } from "@/lib/server/db";
import { authorize, can, type Actor } from "@/lib/server/permissions";

export async function listAccounts(actor: Actor | null) {
  authorize(actor, "accounts:read");
  const showExternalId = can(actor, "accounts:manage");
  const [accounts, bucketCounts] = await Promise.all([
    db().account.findMany({
      orderBy: [{ ouPath: "asc" }, { name: "asc" }],
      select: {
        id: true, name: true, ouPath: true, owner: true, roleArn: true, externalId: true, enabled: true,
        lastSyncStatus: true, lastSyncAt: true, lastSuccessAt: true, lastError: true, lastErrorCode: true,
        lastTestAt: true, lastTestOk: true, lastTestMessage: true, linkedBy: true,
        regions: { select: { region: true, collector: true, lastSuccessAt: true, lastAttemptAt: true, lastError: true }, orderBy: [{ region: "asc" }, { collector: "asc" }] },
      },
    }),
    db().bucket.groupBy({ by: ["accountId"], where: { goneAt: null }, _count: { _all: true } }),
  ]);
  const counts = new Map(bucketCounts.map((c) => [c.accountId, c._count._all]));
  return accounts.map(({ externalId, ...a }) => ({
    ...a,
    externalId: showExternalId ? externalId : null,
    buckets: counts.get(a.id) ?? 0,
  }));
}

export type AccountRow = Awaited<ReturnType<typeof listAccounts>>[number];
