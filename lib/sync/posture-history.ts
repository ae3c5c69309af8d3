/**
 * The posture a finished sync run left, for the overview's "since the last sync": which live buckets are public,
 * reachable from outside the organisation (effective access as the evaluation stored it, bucket.outside_reach: the
 * bucket's grant and, for reads under a customer managed key, the key's — the bucket list's "Reachable from outside
 * the organisation" filter) and failing a required control. Written once per run at its end
 * (after the evaluation), in one statement; only the latest KEEP runs are kept — the comparison needs two.
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
  await client.$executeRaw`
    DELETE FROM posture_snapshot WHERE sync_run_id IN (
      SELECT sync_run_id FROM posture_snapshot ORDER BY taken_at DESC OFFSET ${KEEP})`;
}
