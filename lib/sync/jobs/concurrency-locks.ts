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

/** application_name of the session that holds a job's locks (Postgres keeps 63 bytes: "custody-job:" + a UUID fits). */
export function syncJobSessionName(jobId: string): string {
  return `custody-job:${jobId}`;
}

export interface HeldLocks {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function acquireSyncLocks(
  databaseUrl: string,
  input: {
    accountId: string;
    globalLimit: number;
    waitMs?: number;
    signal?: { aborted: boolean };
    sessionName?: string;
  },
): Promise<HeldLocks> {
  // The session's name tells the reaper (reap-interrupted.ts) that the job's worker is alive: Postgres ends the
  // session, and so the name, when the process dies.
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: input.sessionName ?? "custody-sync-lock",
  });
  await client.connect();
  const waitMs = input.waitMs ?? 1000;
  try {
    // Per account first (cheap to wait on), then a global slot.
    for (;;) {
      const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [
        ACCOUNT_NAMESPACE,
        input.accountId,
      ]);
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
        const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [
          GLOBAL_SLOT_NAMESPACE,
          slot,
        ]);
        if (r.rows[0]?.ok) break slots;
      }
      if (input.signal?.aborted) throw new Error("stopped while waiting for a sync slot");
      await sleep(waitMs);
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    // Closing the session releases every advisory lock it holds.
    release: () => client.end().catch(() => {}),
  };
}

/**
 * The account's lock, if nobody holds it now (a full sync of the account holds it for its whole length): for a
 * single-bucket refresh after a change event, which must not interleave its write with a sync's older read of the
 * same bucket. null when it is held: the caller tries again later (the event stays on its queue until then).
 */
export async function tryAccountLock(databaseUrl: string, accountId: string): Promise<HeldLocks | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "custody-event-refresh" });
  await client.connect();
  try {
    const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [
      ACCOUNT_NAMESPACE,
      accountId,
    ]);
    if (r.rows[0]?.ok) return { release: () => client.end().catch(() => {}) };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  await client.end().catch(() => {});
  return null;
}
