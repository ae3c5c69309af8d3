/** Reads an account's posture (failing required controls, public buckets) for the before/after notification diff. */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { BucketRef, PostureSnapshot } from "@/lib/sync/notifications/notification-diff";

/**
 * One statement on a bulk connection (it runs twice per account job; through Prisma, as two raw queries plus a third
 * for the buckets' names, it cost ≈ 1 ms of worker CPU each — docs/performance.md, benchmark 1). `names` holds every
 * bucket the snapshot mentions, so the diff after the sync needs no further read.
 */
export async function readPostureSnapshot(
  client: Db,
  accountId: string,
): Promise<PostureSnapshot & { names: Map<number, BucketRef> }> {
  const { rows } = await bulkPoolFor(client).query<{ id: number; name: string; control_id: string | null }>({
    name: "posture-snapshot",
    text: `SELECT b.id, b.name, cr.control_id
             FROM control_result cr JOIN bucket b ON b.id = cr.bucket_id
            WHERE b.account_id = $1 AND b.gone_at IS NULL AND cr.required AND cr.status = 'fail'
           UNION ALL
           SELECT id, name, NULL FROM bucket WHERE account_id = $1 AND gone_at IS NULL AND exposure = 'public'`,
    values: [accountId],
  });
  const snapshot = { failing: new Map<number, Set<string>>(), publicBuckets: new Set<number>(), names: new Map() };
  for (const r of rows) {
    snapshot.names.set(r.id, { id: r.id, name: r.name, accountId });
    if (r.control_id === null) {
      snapshot.publicBuckets.add(r.id);
      continue;
    }
    let set = snapshot.failing.get(r.id);
    if (!set) snapshot.failing.set(r.id, (set = new Set()));
    set.add(r.control_id);
  }
  return snapshot;
}
