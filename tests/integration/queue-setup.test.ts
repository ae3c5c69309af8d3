/**
 * Several processes starting the queue at once on a new database — two workers and the web app started together on
 * a fresh install — must all come up. pg-boss's queue creation also creates a partition of its job table, and two
 * of those at once deadlocked (40P01); the full-scale sync benchmark lost a worker to it.
 */
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startQueue, SYNC_ACCOUNT_QUEUE, SYNC_SCHEDULE_QUEUE } from "@/lib/sync/jobs/queue";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
const started: PgBoss[] = [];

beforeAll(async () => {
  db = await scratchDb("queue_setup");
});
afterAll(async () => {
  await Promise.all(started.map((b) => b.stop({ graceful: false, wait: true }).catch(() => undefined)));
  await db.drop();
});

it("starts six queue clients at once on a new database, each finding the queues", async () => {
  const results = await Promise.allSettled(Array.from({ length: 6 }, () => startQueue(db.url)));
  for (const r of results) if (r.status === "fulfilled") started.push(r.value);
  expect(
    results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
  ).toEqual([]);
  for (const boss of started) {
    expect((await boss.getQueue(SYNC_ACCOUNT_QUEUE))?.name).toBe(SYNC_ACCOUNT_QUEUE);
    expect((await boss.getQueue(SYNC_SCHEDULE_QUEUE))?.policy).toBe("singleton");
  }
});
