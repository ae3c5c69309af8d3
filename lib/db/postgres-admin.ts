/** Creating and dropping databases on a Postgres server (for the migration tool and the tests). */
import { randomBytes } from "node:crypto";
import pg from "pg";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onMaintenanceDb<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function createDatabase(url: string, database: string): Promise<string> {
  await onMaintenanceDb(url, (c) => c.query(`CREATE DATABASE ${quoteIdent(database)}`));
  return withDatabase(url, database);
}

export async function dropDatabase(url: string, database: string): Promise<void> {
  await onMaintenanceDb(url, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
}

export async function databaseExists(url: string, database: string): Promise<boolean> {
  return onMaintenanceDb(url, async (c) => {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    return (r.rowCount ?? 0) > 0;
  });
}

/** A throwaway database with a recognisable name, dropped by the caller. */
export async function createScratchDatabase(url: string, purpose: string) {
  const name = `custody_${purpose}_${randomBytes(4).toString("hex")}`;
  const scratchUrl = await createDatabase(url, name);
  return { name, url: scratchUrl, drop: () => dropDatabase(url, name) };
}
