/**
 * The posture a finished sync run left, for the overview's "since the last sync": which live buckets are public,
 * reachable from outside the organisation (effective access as the evaluation stored it, bucket.outside_reach: the
 * bucket's grant and, for reads under a customer managed key, the key's — the bucket list's "Reachable from outside
 * the organisation" filter) and failing a required control. Written once per run at its end
 * (after the evaluation), with what is new in each list since the snapshot before it; only the latest KEEP runs are
 * kept.
 */
import type { Db } from "@/lib/db/prisma";

const KEEP = 30;

export async function snapshotPosture(client: Db, syncRunId: string, at: Date): Promise<void> {
  await client.$executeRaw`
    INSERT INTO posture_snapshot (sync_run_id, taken_at, in_scope, public_ids, reachable_ids, failing_ids)
    SELECT ${syncRunId}::uuid, ${at},
           COUNT(*)::int,
           COALESCE(array_agg(b.id ORDER BY b.id) FILTER (WHERE b.exposure = 'public'), '{}'),
           COALESCE(array_agg(b.id ORDER BY b.id) FILTER (WHERE b.outside_reach = 'reachable'), '{}'),
           COALESCE(array_agg(b.id ORDER BY b.id) FILTER (WHERE b.failing_required > 0), '{}')
      FROM bucket b WHERE b.gone_at IS NULL
    ON CONFLICT (sync_run_id) DO NOTHING`;
  // What is new since the snapshot before this one, computed once here (the overview reads it on every view).
  await client.$executeRaw`
    UPDATE posture_snapshot cur
       SET compared_with = prev.sync_run_id,
           new_public_ids = ARRAY(SELECT unnest(cur.public_ids) EXCEPT SELECT unnest(prev.public_ids) ORDER BY 1),
           new_reachable_ids = ARRAY(SELECT unnest(cur.reachable_ids) EXCEPT SELECT unnest(prev.reachable_ids) ORDER BY 1),
           new_failing_ids = ARRAY(SELECT unnest(cur.failing_ids) EXCEPT SELECT unnest(prev.failing_ids) ORDER BY 1)
      FROM (SELECT p.sync_run_id, p.public_ids, p.reachable_ids, p.failing_ids FROM posture_snapshot p
             WHERE p.taken_at < ${at} ORDER BY p.taken_at DESC LIMIT 1) prev
     WHERE cur.sync_run_id = ${syncRunId}::uuid AND cur.compared_with IS NULL`;
  await client.$executeRaw`
    DELETE FROM posture_snapshot WHERE sync_run_id IN (
      SELECT sync_run_id FROM posture_snapshot ORDER BY taken_at DESC OFFSET ${KEEP})`;
}
