/**
 * Multi-factor sign-in against real Postgres: a correct password opens no session for a user with a second factor
 * (only a pending state); a TOTP code is accepted once per time step; five wrong codes end the pending state; a
 * role that requires MFA sends a user without a factor to enrol first; TOTP secrets are sealed when a key is set.
 */
import { authenticator } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealSecret, openSecret } from "@/lib/server/auth/mfa/secret-box";
import { resolvePendingMfa } from "@/lib/server/auth/mfa/pending";
import {
  confirmEnrolTotp,
  finishEnrolment,
  pendingStep,
  startEnrolTotp,
  verifyCode,
} from "@/lib/server/auth/mfa/second-step";
import { hashPassword } from "@/lib/server/auth/password";
import { resolveSession } from "@/lib/server/auth/session";
import { signIn } from "@/lib/server/auth/sign-in";
import {
  confirmOwnTotpWith,
  removeOwnTotpWith,
  setMfaRequiredRolesWith,
  startOwnTotpWith,
} from "@/lib/server/dal/account-security";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

const policy = { idleMinutes: 60, absoluteHours: 12 };
const meta = { ip: "10.7.0.1", userAgent: "test" };
const PASSWORD = "orbit-lantern-mule-42";

let db: Awaited<ReturnType<typeof scratchDb>>;
const actors = {} as Record<"admin" | "lead" | "auditor", Actor>;

async function makeUser(email: string, role: "admin" | "security_lead" | "auditor"): Promise<Actor> {
  const u = await db.prisma.user.create({
    data: { email, name: email.split("@")[0]!, role, passwordHash: await hashPassword(PASSWORD) },
  });
  return { id: u.id, email: u.email, name: u.name, role: role === "security_lead" ? "security-lead" : role };
}
const passwordStep = (email: string) =>
  signIn(db.prisma, { email, password: PASSWORD, ip: meta.ip, userAgent: meta.userAgent }, policy);

/** A code for the step after the current one (within the ±1 window), so it has not been used yet. */
const nextStepCode = (secret: string) => authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);

describe("multi-factor sign-in", () => {
  let secret = "";
  beforeAll(async () => {
    db = await scratchDb("mfa");
    // lib/env.ts validates the whole environment once (the MFA key is read through it): point it at this database,
    // as the app's own environment would, also when the suite runs on the embedded Postgres (no DATABASE_URL).
    process.env.DATABASE_URL = db.url;
    actors.admin = await makeUser("admin@example.com", "admin");
    actors.lead = await makeUser("lead@example.com", "security_lead");
    actors.auditor = await makeUser("auditor@example.com", "auditor");
  });
  afterAll(async () => db.drop());

  it("enrols TOTP on the account: a wrong code fails (audited), the right one gives ten recovery codes", async () => {
    const started = await startOwnTotpWith(db.prisma, actors.lead);
    secret = started.secret;
    expect(started.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(started.uri).toContain("otpauth://totp/Custody:lead%40example.com");
    await expect(confirmOwnTotpWith(db.prisma, actors.lead, "000000")).rejects.toThrow(/not right/);
    const codes = await confirmOwnTotpWith(db.prisma, actors.lead, authenticator.generate(secret));
    expect(codes).toHaveLength(10);
    const stored = await db.prisma.userRecoveryCode.findMany({ where: { userId: actors.lead.id } });
    expect(stored.map((c) => c.codeHash)).not.toContain(codes[0]);
    const audit = await db.prisma.auditEvent.findMany({
      where: { action: "mfa.enrol" },
      orderBy: { id: "asc" },
      select: { outcome: true },
    });
    expect(audit.map((a) => a.outcome)).toEqual(["failure", "success"]);
  });

  it("opens no session after the password alone, then one per code; a code works once", async () => {
    const first = await passwordStep(actors.lead.email);
    expect(first).toMatchObject({ ok: true, secondFactor: "verify" });
    if (!first.ok || !first.secondFactor) throw new Error("expected a pending second factor");
    expect(await db.prisma.session.count({ where: { userId: actors.lead.id } })).toBe(0);
    expect(await pendingStep(db.prisma, first.pendingToken)).toMatchObject({
      step: "verify",
      totp: true,
      passkeys: false,
    });

    const code = nextStepCode(secret);
    const ok = await verifyCode(db.prisma, first.pendingToken, code, policy, meta);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(await resolveSession(db.prisma, ok.session.token, policy)).toMatchObject({ email: actors.lead.email });
    // The pending state is used up.
    expect(await resolvePendingMfa(db.prisma, first.pendingToken)).toBeNull();

    // The same code again, in a fresh sign-in: refused (replay within its window).
    const second = await passwordStep(actors.lead.email);
    if (!second.ok || !second.secondFactor) throw new Error("expected a pending second factor");
    expect(await verifyCode(db.prisma, second.pendingToken, code, policy, meta)).toMatchObject({
      ok: false,
      restart: false,
    });
    expect(await db.prisma.auditEvent.count({ where: { action: "mfa.verify", outcome: "failure" } })).toBe(1);
  });

  it("accepts a recovery code once, and ends the pending state after five wrong codes", async () => {
    await db.prisma.userRecoveryCode.deleteMany({ where: { userId: actors.lead.id } });
    const codes = await (await import("@/lib/server/auth/mfa/totp")).replaceRecoveryCodes(db.prisma, actors.lead.id);
    const a = await passwordStep(actors.lead.email);
    if (!a.ok || !a.secondFactor) throw new Error("expected a pending second factor");
    expect((await verifyCode(db.prisma, a.pendingToken, codes[0]!.toUpperCase(), policy, meta)).ok).toBe(true);
    const b = await passwordStep(actors.lead.email);
    if (!b.ok || !b.secondFactor) throw new Error("expected a pending second factor");
    expect((await verifyCode(db.prisma, b.pendingToken, codes[0]!, policy, meta)).ok).toBe(false);
    for (let i = 0; i < 3; i++)
      expect(await verifyCode(db.prisma, b.pendingToken, "123456", policy, meta)).toMatchObject({
        ok: false,
        restart: false,
      });
    expect(await verifyCode(db.prisma, b.pendingToken, "123456", policy, meta)).toMatchObject({
      ok: false,
      restart: true,
    });
    // Even the right code no longer helps: the password must be entered again.
    expect(await verifyCode(db.prisma, b.pendingToken, nextStepCode(secret), policy, meta)).toMatchObject({
      ok: false,
      restart: true,
    });
  });

  it("sends a user of a role that requires MFA to enrol before any session, and keeps them from removing the last factor", async () => {
    await expect(setMfaRequiredRolesWith(db.prisma, actors.auditor, ["auditor"])).rejects.toThrow(/may not/);
    await setMfaRequiredRolesWith(db.prisma, actors.admin, ["auditor"]);
    expect(await passwordStep(actors.admin.email)).toMatchObject({ ok: true, token: expect.any(String) });

    const r = await passwordStep(actors.auditor.email);
    expect(r).toMatchObject({ ok: true, secondFactor: "enrol" });
    if (!r.ok || !r.secondFactor) throw new Error("expected enrolment");
    expect(await verifyCode(db.prisma, r.pendingToken, "123456", policy, meta)).toMatchObject({
      ok: false,
      restart: true,
    });
    const again = await passwordStep(actors.auditor.email);
    if (!again.ok || !again.secondFactor) throw new Error("expected enrolment");
    const started = await startEnrolTotp(db.prisma, again.pendingToken);
    if (!started) throw new Error("expected a secret");
    const confirmed = await confirmEnrolTotp(
      db.prisma,
      again.pendingToken,
      authenticator.generate(started.secret),
      meta,
    );
    expect(confirmed).toMatchObject({ ok: true, recoveryCodes: expect.any(Array) });
    expect(await db.prisma.session.count({ where: { userId: actors.auditor.id } })).toBe(0);
    const done = await finishEnrolment(db.prisma, again.pendingToken, policy, meta);
    expect(done.ok && (await resolveSession(db.prisma, done.session.token, policy))).toMatchObject({
      email: actors.auditor.email,
    });
    await expect(removeOwnTotpWith(db.prisma, actors.auditor)).rejects.toThrow(/requires a second factor/);
    await setMfaRequiredRolesWith(db.prisma, actors.admin, []);
    await removeOwnTotpWith(db.prisma, actors.auditor);
    expect(await passwordStep(actors.auditor.email)).toMatchObject({ ok: true, token: expect.any(String) });
  });

  it("seals TOTP secrets with the key and opens them only with it", () => {
    const sealed = sealSecret("JBSWY3DPEHPK3PXP", "k".repeat(32));
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(openSecret(sealed, "k".repeat(32))).toBe("JBSWY3DPEHPK3PXP");
    expect(() => openSecret(sealed, "x".repeat(32))).toThrow();
    expect(sealSecret("JBSWY3DPEHPK3PXP", "")).toBe("plain:JBSWY3DPEHPK3PXP");
  });
});
