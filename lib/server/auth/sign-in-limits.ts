import "server-only";
/**
 * The sign-in limiter (issue 13 items 1 and 3), after the OWASP Authentication Cheat Sheet: slow the guesser down,
 * never lock the owner out.
 *
 *   pair  (e-mail, address)  5 free failures, then 1 s, 2 s, 4 s … between attempts, at most 15 min
 *   email (any address)     10 free failures, then 1 s, 2 s … at most 30 s: a ceiling that only adds a short delay,
 *                            so the owner from a fresh address always gets in after at most 30 s
 *   ip    (any e-mail)      30 free failures, then 1 s, 2 s … at most 15 min (password spraying)
 *
 * A counter forgets its failures after an hour without one, and a successful sign-in clears the pair and e-mail
 * counters. An attempt is admitted and counted (as a failure, undone when the password turns out right) in one
 * transaction holding the counters' row locks, BEFORE its password is checked, so parallel attempts cannot slip
 * past. A refused attempt changes nothing and costs no password hash: the server never sleeps, the client is told
 * "try again in N s". The refusal does not depend on whether the e-mail belongs to a user.
 */
import type { Db } from "@/lib/db/prisma";

export interface LimitRule {
  /** Failures allowed (in a row, within the quiet period) before attempts are spaced out. */
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter with no failure for this long starts again from zero. */
  quietMs: number;
}

const HOUR = 3_600_000;
export const LIMIT_RULES = {
  pair: { free: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, quietMs: HOUR },
  email: { free: 10, baseDelayMs: 1_000, maxDelayMs: 30_000, quietMs: HOUR },
  ip: { free: 30, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, quietMs: HOUR },
} as const satisfies Record<string, LimitRule>;

export type LimitKind = keyof typeof LIMIT_RULES;

export interface Counter {
  key: string;
  kind: LimitKind;
}

export interface CounterState {
  failures: number;
  lastFailureAt: Date;
  nextAttemptAt: Date | null;
}

export function limiterCounters(email: string, ip: string | null): Counter[] {
  const counters: Counter[] = [{ key: `email:${email}`, kind: "email" }];
  if (ip) counters.push({ key: `pair:${email}|${ip}`, kind: "pair" }, { key: `ip:${ip}`, kind: "ip" });
  return counters;
}

/** The delay after the n-th failure in a row: none within the free failures, then doubling up to the rule's cap. */
export function delayAfter(rule: LimitRule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(failures - rule.free, 30));
}

/**
 * Pure decision over the locked counters: refused (wait this long) or admitted (write these counter states, which
 * count this attempt as a failure).
 */
export function decideAttempt(
  counters: { counter: Counter; state: CounterState | null }[],
  now: Date,
): { admitted: false; waitMs: number } | { admitted: true; next: { key: string; state: CounterState }[] } {
  let waitMs = 0;
  const next: { key: string; state: CounterState }[] = [];
  for (const { counter, state } of counters) {
    const rule = LIMIT_RULES[counter.kind];
    const fresh = !state || now.getTime() - state.lastFailureAt.getTime() > rule.quietMs;
    const failures = fresh ? 0 : state.failures;
    if (!fresh && state.nextAttemptAt && state.nextAttemptAt > now)
      waitMs = Math.max(waitMs, state.nextAttemptAt.getTime() - now.getTime());
    const delay = delayAfter(rule, failures + 1);
    next.push({
      key: counter.key,
      state: {
        failures: failures + 1,
        lastFailureAt: now,
        nextAttemptAt: delay ? new Date(now.getTime() + delay) : null,
      },
    });
  }
  return waitMs > 0 ? { admitted: false, waitMs } : { admitted: true, next };
}

/** Admit-and-count in one transaction (row locks on the attempt's counters, taken in key order: no deadlock). */
export async function admitAttempt(
  client: Db,
  counters: Counter[],
  now: Date,
): Promise<{ admitted: true } | { admitted: false; waitMs: number }> {
  const keys = counters.map((c) => c.key).sort();
  return client.$transaction(
    async (tx) => {
      await tx.$executeRaw`INSERT INTO login_throttle (key, failures, last_failure_at) SELECT k, 0, ${now} FROM unnest(${keys}::text[]) AS k ON CONFLICT (key) DO NOTHING`;
      const rows = await tx.$queryRaw<
        { key: string; failures: number; last_failure_at: Date; next_attempt_at: Date | null }[]
      >`
        SELECT key, failures, last_failure_at, next_attempt_at FROM login_throttle WHERE key = ANY(${keys}::text[]) ORDER BY key FOR UPDATE`;
      const byKey = new Map(rows.map((r) => [r.key, r]));
      const decision = decideAttempt(
        counters.map((counter) => {
          const row = byKey.get(counter.key);
          // A row just inserted with no failure is the same as no row.
          const state =
            row && row.failures > 0
              ? { failures: row.failures, lastFailureAt: row.last_failure_at, nextAttemptAt: row.next_attempt_at }
              : null;
          return { counter, state };
        }),
        now,
      );
      if (!decision.admitted) return decision;
      for (const { key, state } of decision.next) {
        await tx.$executeRaw`UPDATE login_throttle SET failures = ${state.failures}, last_failure_at = ${state.lastFailureAt}, next_attempt_at = ${state.nextAttemptAt} WHERE key = ${key}`;
      }
      return { admitted: true as const };
    },
    { maxWait: 10_000, timeout: 10_000 },
  );
}

/**
 * The password was right: the attempt was no failure after all. The pair and e-mail counters start again; the
 * address keeps the failures other attempts made (one user's success does not clear a sprayer's record).
 */
export async function recordSuccess(client: Db, counters: Counter[], now: Date): Promise<void> {
  const cleared = counters.filter((c) => c.kind !== "ip").map((c) => c.key);
  const address = counters.find((c) => c.kind === "ip");
  await client.$transaction([
    client.loginThrottle.deleteMany({ where: { key: { in: cleared } } }),
    // Housekeeping: counters past their quiet period mean nothing any more (keeps the table small).
    client.loginThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - 24 * HOUR) } } }),
    ...(address
      ? [
          client.$executeRaw`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0),
          next_attempt_at = CASE WHEN failures - 1 < ${LIMIT_RULES.ip.free} THEN NULL ELSE next_attempt_at END WHERE key = ${address.key}`,
        ]
      : []),
  ]);
}

export function retryMessage(waitMs: number): { seconds: number; message: string } {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  const when = seconds < 120 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${minutes} minutes`;
  return { seconds, message: `Too many sign-in attempts. Try again in ${when}.` };
}
