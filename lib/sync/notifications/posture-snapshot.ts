/** Reads an account's posture (failing required controls, public buckets) for the before/after notification diff. */
import type { Db } from "@/lib/db/prisma";
import type { PostureSnapshot } from "@/lib/sync/notifications/notification-diff";

export async function readPostureSnapshot(client: Db, accountId: string): Promise<PostureSnapshot> {
  const [failing, publicRows] = await Promise.all([
    client.$queryRaw<{ bucket_id: number; control_id: string }[]>`
      SELECT cr.bucket_id, cr.control_id
        FROM control_result cr JOIN bucket b ON b.id = cr.bucket_id
       WHERE b.account_id = ${accountId} AND b.gone_at IS NULL AND cr.required AND cr.status = 'fail'`,
    client.$queryRaw<
      { id: number }[]
    >`SELECT id FROM bucket WHERE account_id = ${accountId} AND gone_at IS NULL AND exposure = 'public'`,
  ]);
  const snapshot: PostureSnapshot = { failing: new Map(), publicBuckets: new Set(publicRows.map((r) => r.id)) };
  for (const r of failing) {
    let set = snapshot.failing.get(r.bucket_id);
    if (!set) snapshot.failing.set(r.bucket_id, (set = new Set()));
    set.add(r.control_id);
  }
  return snapshot;
}
