/**
 * Issue 13 items 1 and 3: the sign-in limiter counts atomically (parallel attempts cannot slip past it) and slows the
 * attacker without locking the owner out. The clock is injected, so delays are checked without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/server/auth/password";
import { SIGN_IN_FAILED, signIn, type SignInResult } from "@/lib/server/auth/sign-in";
import { scratchDb } from "../support/scratch-db";

const policy = { idleMinutes: 60, absoluteHours: 12 };
const PASSWORD = "correct horse battery";

describe("sign-in limits", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let now = new Date("2026-06-01T10:00:00Z");
  const clock = () => now;
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));

  beforeAll(async () => {
    db = await scratchDb("signin_limits");
    const passwordHash = await hashPassword(PASSWORD);
    for (const name of ["race", "race-right", "owner", "ceiling-a", "ceiling-b", "notice"]) {
      await db.prisma.user.create({ data: { email: `${name}@example.com`, name, role: "auditor", passwordHash } });
    }
  });
  afterAll(async () => db.drop());

  const attempt = (email: string, password: string, ip: string) =>
    signIn(db.prisma, { email, password, ip, userAgent: "test" }, policy, { now: clock });
  const evaluated = async (email: string) =>
    db.prisma.auditEvent.count({
      where: { action: "auth.sign-in", actorEmail: email, outcome: { in: ["failure", "success"] } },
    });
  const failuresOf = async (key: string) =>
    (await db.prisma.loginThrottle.findUnique({ where: { key } }))?.failures ?? 0;

  it("evaluates at most the free attempts of 30 parallel wrong ones, and the counter ends exact", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt("race@example.com", `wrong-${i}`, "10.9.0.1")),
    );
    const wrong = results.filter((r) => !r.ok && r.status === 401).length;
    const refused = results.filter((r) => !r.ok && r.status === 429).length;
    expect(wrong).toBe(5);
    expect(refused).toBe(25);
    expect(await evaluated("race@example.com")).toBe(5);
    expect(await failuresOf("pair:race@example.com|10.9.0.1")).toBe(5);
    expect(await failuresOf("email:race@example.com")).toBe(5);
  });

  it("lets none of 30 parallel right-password attempts through after the threshold, and evaluates at most one when the delay is over", async () => {
    for (let i = 0; i < 5; i++)
      expect(await attempt("race-right@example.com", `wrong-${i}`, "10.9.0.2")).toMatchObject({
        ok: false,
        status: 401,
      });
    const blocked = await Promise.all(
      Array.from({ length: 30 }, () => attempt("race-right@example.com", PASSWORD, "10.9.0.2")),
    );
    expect(blocked.every((r) => !r.ok && r.status === 429)).toBe(true);
    expect(await evaluated("race-right@example.com")).toBe(5);

    advance(60_000);
    const later = await Promise.all(
      Array.from({ length: 30 }, () => attempt("race-right@example.com", PASSWORD, "10.9.0.2")),
    );
    expect(later.filter((r) => r.ok)).toHaveLength(1);
    expect(later.filter((r) => !r.ok && r.status === 429)).toHaveLength(29);
    expect(await evaluated("race-right@example.com")).toBe(6);
  });

  it("slows the attacker's address exponentially but lets the owner in from another address after 50 failures", async () => {
    const waits: number[] = [];
    let failures = 0;
    while (failures < 50) {
      const r = await attempt("owner@example.com", `guess-${failures}`, "198.51.100.66");
      if (!r.ok && r.status === 401) failures++;
      else if (!r.ok && r.status === 429) {
        waits.push(r.retryAfterSeconds);
        advance(r.retryAfterSeconds * 1000);
      } else throw new Error("a guess succeeded");
    }
    // The attacker's own address waits longer and longer (capped at 15 minutes).
    expect(waits[0]).toBe(1);
    expect(Math.max(...waits)).toBe(15 * 60);
    const next = await attempt("owner@example.com", "guess-x", "198.51.100.66");
    expect(next).toMatchObject({ ok: false, status: 429 });

    // The owner from another address: at most a short, bounded wait — never a lock.
    let owner = await attempt("owner@example.com", PASSWORD, "203.0.113.20");
    if (!owner.ok) {
      if (owner.status !== 429) throw new Error(`the owner was refused: ${owner.message}`);
      expect(owner.retryAfterSeconds).toBeLessThanOrEqual(30);
      advance(owner.retryAfterSeconds * 1000);
      owner = await attempt("owner@example.com", PASSWORD, "203.0.113.20");
    }
    expect(owner.ok).toBe(true);
  });

  it("never tells a refused unknown user apart from a refused real one", async () => {
    const refusedFor = async (email: string, ip: string): Promise<SignInResult> => {
      for (let i = 0; i < 5; i++) await attempt(email, "nope", ip);
      return attempt(email, "nope", ip);
    };
    const real = await refusedFor("ceiling-a@example.com", "10.9.1.1");
    const unknown = await refusedFor("nobody-at-all@example.com", "10.9.1.2");
    expect(real).toEqual(unknown);
    expect(real).toMatchObject({
      ok: false,
      status: 429,
      message: "Too many sign-in attempts. Try again in 1 second.",
    });
    expect(await attempt("nobody-at-all@example.com", "nope", "10.9.1.3")).toEqual({
      ok: false,
      status: 401,
      message: SIGN_IN_FAILED,
    });
  });

  it("caps one address across e-mails", async () => {
    // 30 failures from one address, spread over many e-mails so that no (e-mail, address) pair is slowed.
    for (let i = 0; i < 30; i++)
      expect(await attempt(`spray-${i}@example.com`, "Winter2026!", "192.0.2.77")).toMatchObject({ status: 401 });
    expect(await attempt("spray-31@example.com", "Winter2026!", "192.0.2.77")).toMatchObject({
      ok: false,
      status: 429,
    });
    // Another address is not affected.
    expect(await attempt("ceiling-b@example.com", PASSWORD, "192.0.2.78")).toMatchObject({ ok: true });
  });

  it("tells the owner how many failed attempts there were since the last sign-in, once", async () => {
    expect(await attempt("notice@example.com", PASSWORD, "10.9.2.1")).toMatchObject({
      ok: true,
      failedAttemptsSinceLastSignIn: 0,
    });
    for (let i = 0; i < 3; i++) await attempt("notice@example.com", "bad", "10.9.2.2");
    const r = await attempt("notice@example.com", PASSWORD, "10.9.2.1");
    expect(r).toMatchObject({ ok: true, failedAttemptsSinceLastSignIn: 3 });
    const success = await db.prisma.auditEvent.findFirst({
      where: { actorEmail: "notice@example.com", outcome: "success" },
      orderBy: { id: "desc" },
    });
    expect(success?.detail).toMatchObject({ failedAttemptsSinceLastSignIn: 3 });
    expect(await attempt("notice@example.com", PASSWORD, "10.9.2.1")).toMatchObject({
      ok: true,
      failedAttemptsSinceLastSignIn: 0,
    });
  });
});
