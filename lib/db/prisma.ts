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

/*
 * Custody's timestamps are `timestamp(3)` columns holding UTC (Prisma reads and writes them so). node-postgres, left
 * alone, writes a Date as the process's local wall time and reads such a column back as local time: a worker
 * running with TZ=America/New_York stored read times five hours early, and compared waiver expiry against a
 * clock five hours off (tests/integration/load-s3.test.ts). Dates written through pg are sent in UTC (process-wide:
 * every pg client of this process writes to Custody's database or to pg-boss's timestamptz columns, where UTC is
 * equally right), and the bulk pools read timestamps as UTC.
 */
pg.defaults.parseInputDatesAsUTC = true;
const parseUtcTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const utcTimestampTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP
      ? parseUtcTimestamp
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export function createPrismaClient(
  databaseUrl: string,
  options: {
    poolSize?: number;
    /**
     * false: the sessions plan no parallel query (`max_parallel_workers_per_gather = 0`). For the web app's reads:
     * a page's statements are indexed reads of a few rows, and a parallel plan for one pays its workers' start before
     * the first row — at 1,000,000 buckets the bucket list filtered by a control took 57–73 ms in parallel against
     * 2 ms serially (issue 19, docs/performance.md). Scans that parallelism would speed up (an exact count of a broad
     * view on request) run serially, on the cores the web, the workers and Postgres share anyway.
     */
    parallelQuery?: boolean;
  } = {},
): PrismaClient {
  // A bounded connect: with the database host gone, requests fail in seconds (and the app says so) rather than hang.
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(options.parallelQuery === false ? { options: "-c max_parallel_workers_per_gather=0" } : {}),
  });
  const client = new PrismaClient({ adapter });
  Object.defineProperty(client, URL_KEY, { value: databaseUrl, enumerable: false });
  return client;
}

/**
 * A stand-in for the Prisma client where code reads only through `bulkPoolFor` (the evidence bundle's worker thread,
 * given its snapshot): it carries the database URL and constructs no Prisma client — in that worker, the client
 * (its data model and adapter, and on a first query the query compiler) was ≈ 24 MB of the ≈ 47 MB a small bundle
 * grew the server by (docs/performance.md). Any Prisma call on it throws, naming the call.
 */
export function bulkOnlyClient(databaseUrl: string): PrismaClient {
  return new Proxy({} as Record<PropertyKey, unknown>, {
    get(_target, key) {
      if (key === URL_KEY) return databaseUrl;
      if (key === "$disconnect") return async () => {};
      if (typeof key === "symbol" || key === "then") return undefined; // inspection, not a thenable
      throw new Error(`bulkOnlyClient: ${key} needs a Prisma client (this stand-in only opens bulk pg pools)`);
    },
  }) as unknown as PrismaClient;
}

/** The database URL `client` was created with (a worker thread opens its own connections to the same database). */
export function databaseUrlOf(client: PrismaClient): string {
  const url = (client as unknown as Record<symbol, string | undefined>)[URL_KEY];
  if (!url) throw new Error("databaseUrlOf: this Prisma client was not created by createPrismaClient");
  return url;
}

/**
 * A plain pg pool on the same database as `client`, for the load step's and the evaluation's set-based bulk
 * statements, and for every other statement a sync's account job sends (its claim, task rows, progress, posture
 * snapshots, finish).
 * Why: a statement carrying 100,000 rows as arrays costs about twice as much through Prisma's raw-query path as
 * through pg itself (parameters are re-encoded for the query engine), and the ingest benchmark holds the load step
 * to ≤ 2× a raw COPY; a small statement costs ≈ 1 ms of worker CPU through Prisma against ≈ 0.1 ms here, and an
 * account job sent about 16 of them (issue 19: CPU per AWS call). The app's pages and actions go through Prisma.
 */
export function bulkPoolFor(client: PrismaClient): pg.Pool {
  const url = databaseUrlOf(client);
  let pool = bulkPools.get(url);
  if (!pool) {
    // synchronous_commit=off for these sessions only: a load step's commit returns without waiting for its WAL
    // to reach disk (one flush per account and region otherwise: a 1,000-account sync waited for thousands).
    // Nothing is lost that matters: an account job's writes here (its loads, evaluation and finish) are followed
    // by the job's completion in pg-boss, a synchronous commit whose flush covers all earlier WAL; a server crash
    // before it loses at most the account's latest writes together with its completion, so its job runs again.
    // Atomicity and isolation are unchanged.
    pool = new pg.Pool({
      connectionString: url,
      max: 8,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      options: "-c synchronous_commit=off",
      types: utcTimestampTypes,
    });
    pool.on("error", () => {}); // an idle client's connection dropped: the pool replaces it

    bulkPools.set(url, pool);
  }
  return pool;
}

/** Run `fn` in one transaction on a bulk connection. */
export async function withBulkTransaction<T>(
  client: PrismaClient,
  fn: (conn: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const conn = await bulkPoolFor(client).connect();
  try {
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
