/**
 * Which Postgres Custody uses: DATABASE_URL when set, else the embedded default (see embedded-postgres.ts).
 */
import { startEmbeddedPostgres } from "./embedded-postgres";

export interface ResolvedDatabase {
  url: string;
  /** URL whose database may be swapped for scratch databases (tests, the migration tool). */
  serverUrl: string;
  embedded: boolean;
  /** Shutting down: do not restart a database that stops from now on. */
  stopRestarting(): void;
  stop(): Promise<void>;
}

export async function resolveDatabase(options: { log?: (line: string) => void } = {}): Promise<ResolvedDatabase> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    try {
      const parsed = new URL(url);
      if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error("not a postgres URL");
    } catch {
      throw new Error(
        "DATABASE_URL is not a valid PostgreSQL URL (expected postgresql://user:password@host:5432/database).",
      );
    }
    return { url, serverUrl: url, embedded: false, stopRestarting: () => {}, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres(options);
  return { url: db.url, serverUrl: db.serverUrl, embedded: true, stopRestarting: db.stopRestarting, stop: db.stop };
}
