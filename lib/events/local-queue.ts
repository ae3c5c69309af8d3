/**
 * The bucket-change queue in Postgres, for an installation without AWS (the demo's fixture AWS): it behaves as the
 * hub's SQS queue does for the consumer — at-least-once, a visibility timeout, a receive count — so the demo runs the
 * very consumer code that production runs. A message received `maxReceives` times without being deleted is dropped
 * with a log line (SQS would move it to the dead-letter queue).
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import { logger } from "@/lib/logger";
import type { EventsQueue, QueueMessage } from "@/lib/sources/events-queue/sqs-queue";

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export function localEventsQueue(
  db: Db,
  opts: { visibilitySeconds?: number; maxReceives?: number; pollMs?: number } = {},
): EventsQueue {
  const pool = bulkPoolFor(db);
  const visibility = opts.visibilitySeconds ?? 60;
  const maxReceives = opts.maxReceives ?? 3;
  const pollMs = opts.pollMs ?? 250;

  const takeVisible = async (max: number): Promise<QueueMessage[]> => {
    const dead = await pool.query<{ id: string }>(
      `DELETE FROM local_event_message WHERE receive_count >= $1 AND visible_at <= now() RETURNING id::text`,
      [maxReceives],
    );
    for (const d of dead.rows)
      logger.warn({ messageId: d.id }, "bucket-change message dropped after repeated failures");
    const { rows } = await pool.query<{ id: string; body: string; receive_count: number }>(
      `UPDATE local_event_message m
          SET visible_at = now() + make_interval(secs => $2), receive_count = m.receive_count + 1
        WHERE m.id IN (SELECT id FROM local_event_message WHERE visible_at <= now()
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING m.id::text, m.body, m.receive_count`,
      [max, visibility],
    );
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({ messageId: r.id, receiptHandle: r.id, body: r.body, receiveCount: r.receive_count }));
  };

  return {
    async receive({ max, waitSeconds, signal }) {
      const until = Date.now() + waitSeconds * 1000;
      for (;;) {
        const got = await takeVisible(Math.min(10, Math.max(1, max)));
        if (got.length || Date.now() >= until || signal?.aborted) return got;
        await sleep(Math.min(pollMs, Math.max(0, until - Date.now())), signal);
      }
    },
    async delete(messages) {
      if (messages.length === 0) return [];
      await pool.query(`DELETE FROM local_event_message WHERE id = ANY($1::bigint[])`, [
        messages.map((m) => m.receiptHandle),
      ]);
      return [];
    },
  };
}

/** Puts an EventBridge event (the object AWS would deliver) on the local queue. */
export async function sendLocalEvent(db: Db, event: unknown): Promise<void> {
  await db.localEventMessage.create({ data: { body: JSON.stringify(event) } });
}
