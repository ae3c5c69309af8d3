/**
 * Password change, admin reset, disable/enable and MFA reset through the DAL against real Postgres: each ends the
 * sessions it should, refuses weak passwords with the one policy, and an admin can neither disable themselves nor
 * the last active admin (also when two admins try to disable each other at once).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";
import { createSession, resolveSession } from "@/lib/server/auth/session";
import { signIn } from "@/lib/server/auth/sign-in";
import {
  changeOwnPasswordWith,
  resetUserMfaWith,
  resetUserPasswordWith,
  setUserDisabledWith,
} from "@/lib/server/dal/users";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

const policy = { idleMinutes: 60, absoluteHours: 12 };
const PASSWORD = "orbit-lantern-mule-42";

let db: Awaited<ReturnType<typeof scratchDb>>;
const actors = {} as Record<"admin" | "admin2" | "lead", Actor>;

async function makeUser(email: string, role: "admin" | "security_lead"): Promise<Actor> {
  const u = await db.prisma.user.create({
    data: { email, name: email.split("@")[0]!, role, passwordHash: await hashPassword(PASSWORD) },
  });
  return { id: u.id, email: u.email, name: u.name, role: role === "security_lead" ? "security-lead" : "admin" };
}
const sessionOf = (actor: Actor) => createSession(db.prisma, actor.id, policy, {});

describe("users: password change, reset, disable", () => {
  beforeAll(async () => {
    db = await scratchDb("users");
    actors.admin = await makeUser("admin@example.com", "admin");
    actors.admin2 = await makeUser("admin2@example.com", "admin");
    actors.lead = await makeUser("lead@example.com", "security_lead");
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.prisma.session.deleteMany();
    await db.prisma.user.updateMany({
      data: { disabledAt: null, passwordHash: await hashPassword(PASSWORD), mustChangePassword: false },
    });
  });

  it("changes the own password with the current one, ends the other sessions and keeps this one", async () => {
    const here = await sessionOf(actors.lead);
    const elsewhere = await sessionOf(actors.lead);
    await expect(
      changeOwnPasswordWith(db.prisma, actors.lead, {
        currentPassword: "wrong-password-1",
        newPassword: "quiet-falcon-ribbon-77",
        confirmPassword: "quiet-falcon-ribbon-77",
      }),
    ).rejects.toThrow(/current password/);
    await expect(
      changeOwnPasswordWith(db.prisma, actors.lead, {
        currentPassword: PASSWORD,
        newPassword: "password1234",
        confirmPassword: "password1234",
      }),
    ).rejects.toThrow(/commonly used/);
    await expect(
      changeOwnPasswordWith(db.prisma, actors.lead, {
        currentPassword: PASSWORD,
        newPassword: "quiet-falcon-ribbon-77",
        confirmPassword: "quiet-falcon-ribbon-78",
      }),
    ).rejects.toThrow(/do not match/);

    const r = await changeOwnPasswordWith(
      db.prisma,
      actors.lead,
      { currentPassword: PASSWORD, newPassword: "quiet-falcon-ribbon-77", confirmPassword: "quiet-falcon-ribbon-77" },
      { sessionToken: here.token },
    );
    expect(r.revokedSessions).toBe(1);
    expect(await resolveSession(db.prisma, here.token, policy)).not.toBeNull();
    expect(await resolveSession(db.prisma, elsewhere.token, policy)).toBeNull();
    const user = await db.prisma.user.findUniqueOrThrow({ where: { id: actors.lead.id } });
    expect(await verifyPassword(user.passwordHash, "quiet-falcon-ribbon-77")).toBe(true);
    const audit = await db.prisma.auditEvent.findMany({
      where: { action: "user.password-change" },
      select: { outcome: true },
    });
    expect(audit.map((a) => a.outcome).sort()).toEqual(["failure", "success"]);
  });

  it("lets only admins reset a password; a temporary one must be changed and every session ends", async () => {
    const s = await sessionOf(actors.lead);
    await expect(
      resetUserPasswordWith(db.prisma, actors.lead, { userId: actors.admin.id, mode: "temporary" }),
    ).rejects.toThrow(/may not/);
    await expect(
      resetUserPasswordWith(db.prisma, actors.admin, { userId: actors.lead.id, mode: "set", password: "aaaaaaaaaaaa" }),
    ).rejects.toThrow(/too easy/);

    const r = await resetUserPasswordWith(db.prisma, actors.admin, { userId: actors.lead.id, mode: "temporary" });
    expect(r.temporaryPassword).toMatch(/^\S{16}$/);
    expect(await resolveSession(db.prisma, s.token, policy)).toBeNull();
    const user = await db.prisma.user.findUniqueOrThrow({ where: { id: actors.lead.id } });
    expect(user.mustChangePassword).toBe(true);
    const signedIn = await signIn(
      db.prisma,
      { email: actors.lead.email, password: r.temporaryPassword!, ip: "10.9.0.1", userAgent: null },
      policy,
    );
    expect(signedIn.ok).toBe(true);

    await resetUserPasswordWith(db.prisma, actors.admin, {
      userId: actors.lead.id,
      mode: "set",
      password: "velvet-harbor-compass-9",
    });
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: actors.lead.id } })).mustChangePassword).toBe(false);
    expect(await db.prisma.auditEvent.count({ where: { action: "user.password-reset", outcome: "success" } })).toBe(2);
  });

  it("disables a user: their sessions end and the right password no longer signs in; enabling lets them back", async () => {
    const s = await sessionOf(actors.lead);
    await setUserDisabledWith(db.prisma, actors.admin, { userId: actors.lead.id, disabled: true });
    expect(await resolveSession(db.prisma, s.token, policy)).toBeNull();
    expect(await db.prisma.session.count({ where: { userId: actors.lead.id } })).toBe(0);
    const refused = await signIn(
      db.prisma,
      { email: actors.lead.email, password: PASSWORD, ip: "10.9.0.2", userAgent: null },
      policy,
    );
    expect(refused.ok).toBe(false);

    await setUserDisabledWith(db.prisma, actors.admin, { userId: actors.lead.id, disabled: false });
    const back = await signIn(
      db.prisma,
      { email: actors.lead.email, password: PASSWORD, ip: "10.9.0.3", userAgent: null },
      policy,
    );
    expect(back.ok).toBe(true);
  });

  it("refuses disabling oneself and the last active admin, also when two admins disable each other at once", async () => {
    await expect(
      setUserDisabledWith(db.prisma, actors.admin, { userId: actors.admin.id, disabled: true }),
    ).rejects.toThrow(/your own account/);
    await expect(
      setUserDisabledWith(db.prisma, actors.lead, { userId: actors.admin.id, disabled: true }),
    ).rejects.toThrow(/may not/);

    const both = await Promise.allSettled([
      setUserDisabledWith(db.prisma, actors.admin, { userId: actors.admin2.id, disabled: true }),
      setUserDisabledWith(db.prisma, actors.admin2, { userId: actors.admin.id, disabled: true }),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = both.find((r) => r.status === "rejected");
    expect(rejected?.status === "rejected" && String(rejected.reason)).toMatch(/last active admin/);
    expect(await db.prisma.user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
    expect(
      await db.prisma.auditEvent.count({ where: { action: "user.disable", outcome: "denied" } }),
    ).toBeGreaterThanOrEqual(2);
  });

  it("lets an admin remove a user's second factors, ending their sessions", async () => {
    const s = await sessionOf(actors.lead);
    await db.prisma.userTotp.create({
      data: { userId: actors.lead.id, secret: "plain:JBSWY3DPEHPK3PXP", confirmedAt: new Date() },
    });
    await db.prisma.userPasskey.create({
      data: { id: "cred-1", userId: actors.lead.id, name: "key", publicKey: Buffer.from([1, 2, 3]) },
    });
    await resetUserMfaWith(db.prisma, actors.admin, { userId: actors.lead.id });
    expect(await db.prisma.userTotp.count({ where: { userId: actors.lead.id } })).toBe(0);
    expect(await db.prisma.userPasskey.count({ where: { userId: actors.lead.id } })).toBe(0);
    expect(await resolveSession(db.prisma, s.token, policy)).toBeNull();
  });
});
