import { describe, expect, it } from "vitest";
import { decideAttempt, delayAfter, LIMIT_RULES, limiterCounters, retryMessage } from "./sign-in-limits";

describe("sign-in limits", () => {
  it("spaces attempts out exponentially after the free failures, up to the cap", () => {
    expect([4, 5, 6, 7].map((n) => delayAfter(LIMIT_RULES.pair, n))).toEqual([0, 1_000, 2_000, 4_000]);
    expect(delayAfter(LIMIT_RULES.pair, 200)).toBe(15 * 60_000);
    expect(delayAfter(LIMIT_RULES.email, 200)).toBe(30_000);
  });

  it("refuses while any counter is waiting, and forgets a counter after its quiet period", () => {
    const now = new Date("2026-06-01T10:00:00Z");
    const [email, pair] = limiterCounters("a@example.com", "10.0.0.1");
    const waiting = {
      failures: 6,
      lastFailureAt: new Date(now.getTime() - 1_000),
      nextAttemptAt: new Date(now.getTime() + 5_000),
    };
    expect(
      decideAttempt(
        [
          { counter: email!, state: null },
          { counter: pair!, state: waiting },
        ],
        now,
      ),
    ).toEqual({ admitted: false, waitMs: 5_000 });
    const quiet = { ...waiting, lastFailureAt: new Date(now.getTime() - 2 * 3_600_000) };
    const admitted = decideAttempt([{ counter: pair!, state: quiet }], now);
    expect(admitted).toMatchObject({
      admitted: true,
      next: [{ key: "pair:a@example.com|10.0.0.1", state: { failures: 1, nextAttemptAt: null } }],
    });
  });

  it("says when to try again in seconds, then minutes", () => {
    expect(retryMessage(1).message).toBe("Too many sign-in attempts. Try again in 1 second.");
    expect(retryMessage(30_000).message).toBe("Too many sign-in attempts. Try again in 30 seconds.");
    expect(retryMessage(15 * 60_000).message).toBe("Too many sign-in attempts. Try again in 15 minutes.");
  });
});
