/**
 * Which Postgres Custody uses: DATABASE_URL when set, else the embedded default (see embedded-postgres.ts).
 */
import { configuredDatabaseUrl } from "@/lib/env";
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres } from "./embedded-postgres";

export interface ResolvedDatabase {
  url: string;
  /** URL whose database may be swapped for scratch databases (tests, the migration tool). */
  serverUrl: string;
  embedded: boolean;
  /** Shutting down: do not restart a database that stops from now on. */
  stopRestarting(): void;
  stop(): Promise<void>;
}

export async function resolveDatabase(
  options: {
    log?: (line: string) => void;
    /** A CLI beside a running `npm start`: use the embedded Postgres it serves rather than refuse. */
    attachToRunning?: boolean;
  } = {},
): Promise<ResolvedDatabase> {
  const url = configuredDatabaseUrl();
  if (url) {
    return { url, serverUrl: url, embedded: false, stopRestarting: () => {}, stop: async () => {} };
  }
  const running = options.attachToRunning ? runningEmbeddedPostgresUrl() : null;
  if (running) {
    const serverUrl = running.replace(/\/custody$/, "/postgres");
    return { url: running, serverUrl, embedded: true, stopRestarting: () => {}, stop: async () => {} };
  }
  const db = await startEmbeddedPostgres(options);
  return { url: db.url, serverUrl: db.serverUrl, embedded: true, stopRestarting: db.stopRestarting, stop: db.stop };
}
