/**
 * A fresh, migrated database for a test run: a scratch database on DATABASE_URL's server when it is set, else an
 * embedded Postgres in a temporary folder (so tests never touch a user's .custody/ data).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { createScratchDatabase } from "@/lib/db/postgres-admin";
import { applyMigrations } from "@/lib/db/schema-engine";

export interface TestDatabase {
  url: string;
  /** A URL on the same server whose database name may be swapped (for more scratch databases). */
  serverUrl: string;
  stop(): Promise<void>;
}

export async function createTestDatabase(purpose: string): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    const scratch = await createScratchDatabase(external, purpose);
    await applyMigrations(scratch.url);
    return { url: scratch.url, serverUrl: external, stop: scratch.drop };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), `custody-${purpose}-`));
  chmodSync(dir, 0o755); // the embedded server may run as the postgres user, which must enter this folder
  const previous = process.env.CUSTODY_DATA_DIR;
  process.env.CUSTODY_DATA_DIR = dir;
  try {
    const embedded = await startEmbeddedPostgres();
    await applyMigrations(embedded.url);
    return {
      url: embedded.url,
      serverUrl: embedded.serverUrl,
      async stop() {
        await embedded.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } finally {
    if (previous === undefined) delete process.env.CUSTODY_DATA_DIR;
    else process.env.CUSTODY_DATA_DIR = previous;
  }
}
