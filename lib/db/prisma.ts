/** Builds a Prisma client on the pg driver adapter (Prisma 7 needs no engine binary with it). */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;

// Stored on the client itself (not in a module-level WeakMap): Next.js may bundle this module more than once, and
// every copy must find the URL of a client another copy created. The pools are process-wide for the same reason.
const URL_KEY = Symbol.for("custody.databaseUrl");
const globalPools = globalThis as unknown as { custodyBulkPools?: Map<string, pg.Pool> };
const bulkPools = (globalPools.custodyBulkPools ??= new Map<string, pg.Pool>());

export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  const client = new PrismaClient({ adapter });
  Object.defineProperty(client, URL_KEY, { value: databaseUrl, enumerable: false });
  return client;
}

/** The database URL `client` was created with (a worker thread opens its own connections to the same database). */
export function databaseUrlOf(client: PrismaClient): string {
  const url = (client as unknown as Record<symbol, string | undefined>)[URL_KEY];
  if (!url) throw new Error("databaseUrlOf: this Prisma client was not created by createPrismaClient");
  return url;
}

/**
 * A plain pg pool on the same database as `client`, for the load step's set-based bulk statements only.
 * Why: a statement carrying 100,000 rows as arrays costs about twice as much through Prisma's raw-query path as
 * through pg itself (parameters are re-encoded for the query engine), and the ingest benchmark holds the load step
 * to ≤ 2× a raw COPY. Everything else goes through Prisma.
 */
const stagedConnections = new WeakSet<pg.PoolClient>();
const STAGING_TABLES = `
  CREATE TEMP TABLE IF NOT EXISTS stage_new_bucket (arn text, name text, region text, created_at timestamp, hash text, settings text) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS stage_bucket_state (bucket_id int, hash text, settings text) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS stage_control_result (
    bucket_id int, control_id text, required boolean, status text, observed text, reason text, evidence jsonb,
    config_verdict text, config_compliance text, waiver_id uuid, scheme_version int, evaluated_at timestamp(3)
  ) ON COMMIT DELETE ROWS;`;

export function bulkPoolFor(client: PrismaClient): pg.Pool {
  const url = databaseUrlOf(client);
  let pool = bulkPools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 8, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on("error", () => {}); // an idle client's connection dropped: the pool replaces it

    bulkPools.set(url, pool);
  }
  return pool;
}

/** Run `fn` in one transaction on a bulk connection. */
export async function withBulkTransaction<T>(client: PrismaClient, fn: (conn: pg.PoolClient) => Promise<T>): Promise<T> {
  const conn = await bulkPoolFor(client).connect();
  try {
    // The load step's staging tables, once per connection (creating them per transaction churns the catalog).
    // Emptied at every commit; the statements name their columns, so a schema change never meets a stale shape.
    if (!stagedConnections.has(conn)) {
      await conn.query(STAGING_TABLES);
      stagedConnections.add(conn);
    }
    await conn.query("BEGIN");
    const result = await fn(conn);
    await conn.query("COMMIT");
    return result;
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    conn.release();
  }
}

export async function closeBulkPools(): Promise<void> {
  await Promise.allSettled([...bulkPools.values()].map((p) => p.end()));
  bulkPools.clear();
}
