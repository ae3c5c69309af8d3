/**
 * Concurrency limits that hold across every worker process on every machine, built on Postgres advisory locks
 * (session-level, so each held lock lives on its own connection and is released if the process dies):
 *   - global: at most N accounts sync at once in the whole installation (N numbered slots);
 *   - per account: one sync of an account at a time, whichever run asked for it.
 */
import pg from "pg";

/** Advisory-lock namespaces (first key of the two-int form); arbitrary but fixed. */
const GLOBAL_SLOT_NAMESPACE = 72_110_001;
const ACCOUNT_NAMESPACE = 72_110_002;

export interface HeldLocks {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Lock sessions are reused: opening a Postgres session per account job (a backend process forked and
 * authenticated each time) was a measurable share of a sync's CPU at 1,000 accounts. A session goes back to the
 * idle list only after pg_advisory_unlock_all() succeeded on it, so a reused session never holds a stale lock.
 */
const MAX_IDLE_SESSIONS = 16;
/** pg.Client has ref()/unref() (what pg.Pool's allowExitOnIdle uses); @types/pg does not declare them. */
type RefCountedClient = pg.Client & { ref(): void; unref(): void };
const idleSessions = new Map<string, pg.Client[]>();

async function lockSession(databaseUrl: string): Promise<pg.Client> {
  const idle = idleSessions.get(databaseUrl);
  const reused = idle?.pop();
  if (reused) {
    (reused as RefCountedClient).ref();
    return reused;
  }
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "custody-sync-lock" });
  // A session that drops while idle is simply forgotten (and one that drops while held fails its next query).
  client.on("error", () => {
    const list = idleSessions.get(databaseUrl);
    const i = list?.indexOf(client) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  });
  await client.connect();
  return client;
}

async function returnSession(databaseUrl: string, client: pg.Client): Promise<void> {
  try {
    await client.query("SELECT pg_advisory_unlock_all()");
    const idle = idleSessions.get(databaseUrl) ?? [];
    idleSessions.set(databaseUrl, idle);
    if (idle.length < MAX_IDLE_SESSIONS) {
      (client as RefCountedClient).unref(); // an idle session never keeps the process alive (like pg.Pool's allowExitOnIdle)
      idle.push(client);
      return;
    }
  } catch {
    // fall through: closing the session releases whatever it still holds
  }
  await client.end().catch(() => {});
}

/** Close the idle lock sessions (a worker that stops; tests). */
export async function closeIdleLockSessions(): Promise<void> {
  const all = [...idleSessions.values()].flat();
  idleSessions.clear();
  await Promise.allSettled(all.map((c) => c.end()));
}

export async function acquireSyncLocks(
  databaseUrl: string,
  input: { accountId: string; globalLimit: number; waitMs?: number; signal?: { aborted: boolean } },
): Promise<HeldLocks> {
  const client = await lockSession(databaseUrl);
  const waitMs = input.waitMs ?? 1000;
  try {
    // Per account first (cheap to wait on), then a global slot.
    for (;;) {
      const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [ACCOUNT_NAMESPACE, input.accountId]);
      if (r.rows[0]?.ok) break;
      if (input.signal?.aborted) throw new Error("stopped while waiting for the account lock");
      await sleep(waitMs);
    }
    const limit = Math.max(1, input.globalLimit);
    // Start at a random slot: with many slots and few taken, the first try almost always succeeds (probing from
    // slot 0 cost one statement per busy slot before it).
    const first = Math.floor(Math.random() * limit);
    slots: for (;;) {
      // One slot per statement, so a statement can never take two.
      for (let k = 0; k < limit; k++) {
        const slot = (first + k) % limit;
        const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [GLOBAL_SLOT_NAMESPACE, slot]);
        if (r.rows[0]?.ok) break slots;
      }
      if (input.signal?.aborted) throw new Error("stopped while waiting for a sync slot");
      await sleep(waitMs);
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await returnSession(databaseUrl, client);
    },
  };
}
