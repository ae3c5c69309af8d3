/**
 * One source of truth for the sync queue's options: CUSTODY_SYNC_JOB_TIMEOUT_MINUTES decides the account queue's
 * expiry whichever process creates or updates the queue. The web app's first "Sync now" used to reset it to 2 h.
 */
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SYNC_ACCOUNT_QUEUE } from "@/lib/sync/jobs/queue";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let web: PgBoss | undefined;

beforeAll(async () => {
  db = await scratchDb("queue_options");
});
afterAll(async () => {
  await web?.stop({ graceful: false, wait: true }).catch(() => undefined);
  await db.drop();
  vi.unstubAllEnvs();
});

it("the web path's queue setup uses CUSTODY_SYNC_JOB_TIMEOUT_MINUTES for the account queue's expiry", async () => {
  vi.stubEnv("DATABASE_URL", db.url);
  vi.stubEnv("CUSTODY_SYNC_JOB_TIMEOUT_MINUTES", "7");
  const { syncQueue } = await import("@/lib/server/sync-queue");
  web = await syncQueue();
  const rows = await db.prisma.$queryRaw<{ expire_seconds: number; retry_limit: number }[]>`
    SELECT expire_seconds, retry_limit FROM pgboss.queue WHERE name = ${SYNC_ACCOUNT_QUEUE}`;
  expect(rows[0]?.expire_seconds).toBe(7 * 60);
  expect(rows[0]?.retry_limit).toBe(2);
});
