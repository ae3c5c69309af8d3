import "server-only";
/** The web app's handle on the sync queue: it only enqueues (workers run in npm start and npm run worker). */
import type PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { startQueue } from "@/lib/sync/jobs/queue";

const globalForQueue = globalThis as unknown as { custodyQueue?: Promise<PgBoss> };

export function syncQueue(): Promise<PgBoss> {
  globalForQueue.custodyQueue ??= startQueue(env().DATABASE_URL, { supervise: false }).catch((error: unknown) => {
    globalForQueue.custodyQueue = undefined; // try again on the next request
    throw error;
  });
  return globalForQueue.custodyQueue;
}
