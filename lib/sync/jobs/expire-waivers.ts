/**
 * Waiver expiry, as housekeeping of the sync workers (every background round, about every 30 s: worker.ts).
 * Evaluation already ignores a waiver past its expiry, so a re-evaluation never counts one; this marks them
 * `expired`, audits it (waiver.expire, by "system") and re-evaluates their buckets so the stored verdicts and the
 * counts stop including them. Safe with many workers at once: a waiver changes state only once (conditional update),
 * and re-evaluating a bucket twice gives the same result.
 */
import type { Db } from "@/lib/db/prisma";
import { reevaluateAndWait } from "@/lib/evaluation/reevaluation";

/** Waivers handled per round: a backlog (e.g. after downtime) drains over a few rounds instead of one long one. */
const BATCH = 1000;

export async function expireDueWaivers(client: Db, now = new Date()): Promise<number> {
  const due = await client.waiver.findMany({
    where: { status: "approved", expiresAt: { lte: now } },
    select: { id: true, bucketId: true, controlId: true, expiresAt: true },
    orderBy: { expiresAt: "asc" },
    take: BATCH,
  });
  if (due.length === 0) return 0;
  let expired = 0;
  for (const w of due) {
    const changed = await client.$transaction(async (tx) => {
      const updated = await tx.waiver.updateMany({
        where: { id: w.id, status: "approved" },
        data: { status: "expired", endedAt: w.expiresAt },
      });
      if (updated.count !== 1) return false;
      await tx.auditEvent.create({
        data: {
          actorEmail: "system",
          action: "waiver.expire",
          targetType: "waiver",
          targetId: w.id,
          outcome: "success",
          detail: { bucketId: w.bucketId, controlId: w.controlId, expiresAt: w.expiresAt.toISOString() },
        },
      });
      return true;
    });
    if (changed) expired++;
  }
  await reevaluateAndWait(client, { id: { in: [...new Set(due.map((w) => w.bucketId))] } });
  return expired;
}
