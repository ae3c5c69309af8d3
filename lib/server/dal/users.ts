import "server-only";
/**
 * Users: a signed-in user changes their own password; an admin (users:manage) resets a password (to one they set, or
 * to a one-time temporary password the user must change), disables and enables users, and removes a user's second
 * factors (a lost phone). Every path that changes who can sign in ends the sessions it should and is audited.
 */
import type { Db } from "@/lib/db/prisma";
import { checkPasswordStrength, generateTemporaryPassword } from "@/lib/auth/password-policy";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/schemas/parse-input";
import { ChangePasswordSchema, ResetPasswordSchema, SetUserDisabledSchema, UserRefSchema } from "@/lib/schemas/users";
import { writeAudit } from "@/lib/server/audit";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";
import { revokeUserSessions } from "@/lib/server/auth/session";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

async function findUser(client: Db, userId: string) {
  const user = await client.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabledAt: true },
  });
  if (!user) throw new AppError("not_found", "There is no such user.");
  return user;
}

function requireStrong(password: string, user: { email: string; name: string }): void {
  const strength = checkPasswordStrength(password, user);
  if (!strength.ok) throw new AppError("invalid_input", strength.message);
}

/** Any signed-in user: the current password, then the new one twice. Every other session of the user ends. */
export async function changeOwnPasswordWith(
  client: Db,
  actor: Actor | null,
  raw: unknown,
  context: { sessionToken?: string; ip?: string | null } = {},
): Promise<{ revokedSessions: number }> {
  authorize(actor, "self:manage");
  const { currentPassword, newPassword } = parseInput(ChangePasswordSchema, raw);
  const user = await client.user.findUnique({
    where: { id: actor.id },
    select: { passwordHash: true, email: true, name: true },
  });
  if (!user) throw new AppError("unauthenticated", "Please sign in.");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    await writeAudit(client, {
      actor,
      action: "user.password-change",
      outcome: "failure",
      targetType: "user",
      targetId: actor.id,
      detail: { reason: "wrong-current-password" },
      ip: context.ip,
    });
    throw new AppError("invalid_input", "The current password is not right.");
  }
  if (newPassword === currentPassword)
    throw new AppError("invalid_input", "The new password must differ from the current one.");
  requireStrong(newPassword, user);
  await client.user.update({
    where: { id: actor.id },
    data: { passwordHash: await hashPassword(newPassword), mustChangePassword: false, passwordChangedAt: new Date() },
  });
  const revokedSessions = await revokeUserSessions(client, actor.id, context.sessionToken);
  await client.mfaChallenge.deleteMany({ where: { userId: actor.id } });
  await writeAudit(client, {
    actor,
    action: "user.password-change",
    outcome: "success",
    targetType: "user",
    targetId: actor.id,
    detail: { revokedSessions },
    ip: context.ip,
  });
  return { revokedSessions };
}

/**
 * An admin sets a user's password, or a temporary one (returned once, never stored in clear) that the user must
 * change at their next sign-in. The user's sessions end either way.
 */
export async function resetUserPasswordWith(
  client: Db,
  actor: Actor | null,
  raw: unknown,
  context: { ip?: string | null } = {},
): Promise<{ temporaryPassword: string | null; email: string }> {
  authorize(actor, "users:manage");
  const input = parseInput(ResetPasswordSchema, raw);
  const user = await findUser(client, input.userId);
  const temporaryPassword = input.mode === "temporary" ? generateTemporaryPassword() : null;
  const password = temporaryPassword ?? (input.mode === "set" ? input.password : "");
  if (!temporaryPassword) requireStrong(password, user);
  await client.user.update({
    where: { id: user.id },
    data: {
      passwordHash: await hashPassword(password),
      mustChangePassword: temporaryPassword !== null,
      passwordChangedAt: new Date(),
    },
  });
  const revokedSessions = await revokeUserSessions(client, user.id);
  await client.mfaChallenge.deleteMany({ where: { userId: user.id } });
  await writeAudit(client, {
    actor,
    action: "user.password-reset",
    outcome: "success",
    targetType: "user",
    targetId: user.email,
    detail: { mode: input.mode, revokedSessions },
    ip: context.ip,
  });
  return { temporaryPassword, email: user.email };
}

/**
 * Disable or enable a user. A disabled user cannot sign in and their sessions end now. An admin cannot disable
 * themselves, nor the last active admin (checked under a lock on the active admins, so two admins disabling each
 * other at the same moment cannot both succeed).
 */
export async function setUserDisabledWith(
  client: Db,
  actor: Actor | null,
  raw: unknown,
  context: { ip?: string | null } = {},
): Promise<{ email: string; disabled: boolean }> {
  authorize(actor, "users:manage");
  const { userId, disabled } = parseInput(SetUserDisabledSchema, raw);
  const refuse = async (reason: string, message: string): Promise<never> => {
    await writeAudit(client, {
      actor,
      action: disabled ? "user.disable" : "user.enable",
      outcome: "denied",
      targetType: "user",
      targetId: userId,
      detail: { reason },
      ip: context.ip,
    });
    throw new AppError("conflict", message);
  };
  if (disabled && userId === actor.id) await refuse("self", "You cannot disable your own account.");
  const result = await client.$transaction(async (tx) => {
    const activeAdmins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM app_user WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`;
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, email: true, role: true, disabledAt: true },
    });
    if (!user) throw new AppError("not_found", "There is no such user.");
    if (disabled && user.role === "admin" && !user.disabledAt && activeAdmins.every((a) => a.id === user.id))
      return { lastAdmin: true as const, email: user.email };
    await tx.user.update({
      where: { id: user.id },
      data: { disabledAt: disabled ? (user.disabledAt ?? new Date()) : null },
    });
    if (disabled) {
      await tx.session.deleteMany({ where: { userId: user.id } });
      await tx.mfaChallenge.deleteMany({ where: { userId: user.id } });
    }
    await writeAudit(tx, {
      actor,
      action: disabled ? "user.disable" : "user.enable",
      outcome: "success",
      targetType: "user",
      targetId: user.email,
      ip: context.ip,
    });
    return { lastAdmin: false as const, email: user.email };
  });
  if (result.lastAdmin) await refuse("last-admin", `${result.email} is the last active admin and cannot be disabled.`);
  return { email: result.email, disabled };
}

/** An admin removes a user's TOTP, recovery codes and passkeys (e.g. a lost device); the user's sessions end. */
export async function resetUserMfaWith(
  client: Db,
  actor: Actor | null,
  raw: unknown,
  context: { ip?: string | null } = {},
): Promise<{ email: string }> {
  authorize(actor, "users:manage");
  const user = await findUser(client, parseInput(UserRefSchema, raw).userId);
  const [totp, codes, passkeys] = await client.$transaction([
    client.userTotp.deleteMany({ where: { userId: user.id } }),
    client.userRecoveryCode.deleteMany({ where: { userId: user.id } }),
    client.userPasskey.deleteMany({ where: { userId: user.id } }),
    client.mfaChallenge.deleteMany({ where: { userId: user.id } }),
  ]);
  const revokedSessions = await revokeUserSessions(client, user.id);
  await writeAudit(client, {
    actor,
    action: "mfa.reset",
    outcome: "success",
    targetType: "user",
    targetId: user.email,
    detail: { totp: totp.count, recoveryCodes: codes.count, passkeys: passkeys.count, revokedSessions },
    ip: context.ip,
  });
  return { email: user.email };
}

export const changeOwnPassword = (
  actor: Actor | null,
  raw: unknown,
  context?: { sessionToken?: string; ip?: string | null },
) => changeOwnPasswordWith(db(), actor, raw, context);
export const resetUserPassword = (actor: Actor | null, raw: unknown, context?: { ip?: string | null }) =>
  resetUserPasswordWith(db(), actor, raw, context);
export const setUserDisabled = (actor: Actor | null, raw: unknown, context?: { ip?: string | null }) =>
  setUserDisabledWith(db(), actor, raw, context);
export const resetUserMfa = (actor: Actor | null, raw: unknown, context?: { ip?: string | null }) =>
  resetUserMfaWith(db(), actor, raw, context);
