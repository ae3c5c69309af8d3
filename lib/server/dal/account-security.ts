import "server-only";
/**
 * A signed-in user's own second factors (their account page): set up TOTP (secret + QR, confirmed with a code;
 * recovery codes), register and remove passkeys. Only ever on the actor's own account; an admin removes someone
 * else's factors with resetUserMfa. A user whose role requires MFA cannot remove their last factor. Audited as
 * mfa.enrol / mfa.remove (success and failure). Also the per-role requirement (Settings; users:manage to change).
 */
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/server/audit";
import {
  passkeyRegistrationOptions,
  registerPasskey,
  saveRegistrationChallenge,
  takeRegistrationChallenge,
  type RelyingParty,
} from "@/lib/server/auth/mfa/passkeys";
import { MFA_REQUIRED_ROLES_KEY, mfaRequiredRoles, userFactors } from "@/lib/server/auth/mfa/policy";
import { confirmTotpEnrolment, removeTotp, replaceRecoveryCodes, startTotpEnrolment } from "@/lib/server/auth/mfa/totp";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";
import { type RoleName, ROLES } from "@/lib/roles";

type Context = { ip?: string | null };

export async function getOwnSecurityWith(client: Db, actor: Actor | null) {
  authorize(actor, "self:manage");
  const [factors, passkeys, requiredRoles] = await Promise.all([
    userFactors(client, actor.id),
    client.userPasskey.findMany({
      where: { userId: actor.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, createdAt: true, lastUsedAt: true },
    }),
    mfaRequiredRoles(client),
  ]);
  return { ...factors, passkeyList: passkeys, required: requiredRoles.includes(actor.role) };
}

export async function startOwnTotpWith(client: Db, actor: Actor | null) {
  authorize(actor, "self:manage");
  return startTotpEnrolment(client, actor);
}

export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.");

/** Confirm with a code; returns the recovery codes (shown once). */
export async function confirmOwnTotpWith(
  client: Db,
  actor: Actor | null,
  rawCode: unknown,
  context: Context = {},
): Promise<string[]> {
  authorize(actor, "self:manage");
  const code = TotpCodeSchema.safeParse(rawCode);
  if (!code.success) throw new AppError("invalid_input", code.error.issues[0]!.message);
  const codes = await confirmTotpEnrolment(client, actor.id, code.data);
  await writeAudit(client, {
    actor,
    action: "mfa.enrol",
    outcome: codes ? "success" : "failure",
    detail: { factor: "totp" },
    ip: context.ip,
  });
  if (!codes)
    throw new AppError(
      "invalid_input",
      "That code is not right (or was already used). Check the time on your device and try the next code.",
    );
  return codes;
}

async function refuseLastFactor(client: Db, actor: Actor, removing: "totp" | "passkey"): Promise<void> {
  const [factors, required] = await Promise.all([userFactors(client, actor.id), mfaRequiredRoles(client)]);
  const left = (factors.totp && removing !== "totp" ? 1 : 0) + factors.passkeys - (removing === "passkey" ? 1 : 0);
  if (required.includes(actor.role) && left <= 0) {
    throw new AppError("conflict", "Your role requires a second factor: add another one before removing this one.");
  }
}

export async function removeOwnTotpWith(client: Db, actor: Actor | null, context: Context = {}): Promise<void> {
  authorize(actor, "self:manage");
  await refuseLastFactor(client, actor, "totp");
  if (await removeTotp(client, actor.id))
    await writeAudit(client, {
      actor,
      action: "mfa.remove",
      outcome: "success",
      detail: { factor: "totp" },
      ip: context.ip,
    });
}

export async function regenerateOwnRecoveryCodesWith(
  client: Db,
  actor: Actor | null,
  context: Context = {},
): Promise<string[]> {
  authorize(actor, "self:manage");
  if (!(await userFactors(client, actor.id)).totp)
    throw new AppError("conflict", "Recovery codes come with an authenticator app; set one up first.");
  const codes = await replaceRecoveryCodes(client, actor.id);
  await writeAudit(client, { actor, action: "mfa.recovery-codes", outcome: "success", ip: context.ip });
  return codes;
}

export async function ownPasskeyOptionsWith(client: Db, actor: Actor | null, rp: RelyingParty) {
  authorize(actor, "self:manage");
  const options = await passkeyRegistrationOptions(client, actor, rp);
  await saveRegistrationChallenge(client, actor.id, options.challenge);
  return options;
}

const PasskeyName = z.string().trim().max(60, "A passkey name has at most 60 characters.");

export async function registerOwnPasskeyWith(
  client: Db,
  actor: Actor | null,
  input: { response: RegistrationResponseJSON; name: unknown },
  rp: RelyingParty,
  context: Context = {},
): Promise<{ name: string }> {
  authorize(actor, "self:manage");
  const name = PasskeyName.safeParse(input.name ?? "");
  if (!name.success) throw new AppError("invalid_input", name.error.issues[0]!.message);
  const challenge = await takeRegistrationChallenge(client, actor.id);
  if (!challenge) throw new AppError("invalid_input", "The passkey request expired; try again.");
  try {
    const passkey = await registerPasskey(
      client,
      actor.id,
      { response: input.response, name: name.data, expectedChallenge: challenge },
      rp,
    );
    await writeAudit(client, {
      actor,
      action: "mfa.enrol",
      outcome: "success",
      detail: { factor: "passkey", name: passkey.name },
      ip: context.ip,
    });
    return passkey;
  } catch (error) {
    await writeAudit(client, {
      actor,
      action: "mfa.enrol",
      outcome: "failure",
      detail: { factor: "passkey" },
      ip: context.ip,
    });
    throw error;
  }
}

export const PasskeyIdSchema = z
  .string({ error: "Unknown passkey." })
  .min(1, "Unknown passkey.")
  .max(1024, "Unknown passkey.");

export async function removeOwnPasskeyWith(
  client: Db,
  actor: Actor | null,
  rawId: unknown,
  context: Context = {},
): Promise<void> {
  authorize(actor, "self:manage");
  const id = PasskeyIdSchema.safeParse(rawId);
  if (!id.success) throw new AppError("invalid_input", "Unknown passkey.");
  const passkey = await client.userPasskey.findFirst({
    where: { id: id.data, userId: actor.id },
    select: { id: true, name: true },
  });
  if (!passkey) throw new AppError("not_found", "There is no such passkey on your account.");
  await refuseLastFactor(client, actor, "passkey");
  await client.userPasskey.deleteMany({ where: { id: passkey.id, userId: actor.id } });
  await writeAudit(client, {
    actor,
    action: "mfa.remove",
    outcome: "success",
    detail: { factor: "passkey", name: passkey.name },
    ip: context.ip,
  });
}

export async function getMfaRequiredRolesWith(client: Db, actor: Actor | null): Promise<RoleName[]> {
  authorize(actor, "settings:read");
  return mfaRequiredRoles(client);
}

const RequiredRolesSchema = z.array(z.enum(ROLES, { error: "Unknown role." })).max(ROLES.length);

export async function setMfaRequiredRolesWith(
  client: Db,
  actor: Actor | null,
  raw: unknown,
  context: Context = {},
): Promise<RoleName[]> {
  authorize(actor, "users:manage");
  const parsed = RequiredRolesSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message);
  const roles = ROLES.filter((r) => parsed.data.includes(r));
  const before = await mfaRequiredRoles(client);
  await client.appSetting.upsert({
    where: { key: MFA_REQUIRED_ROLES_KEY },
    create: { key: MFA_REQUIRED_ROLES_KEY, value: roles },
    update: { value: roles },
  });
  await writeAudit(client, {
    actor,
    action: "settings.mfa-required-roles",
    outcome: "success",
    detail: { before, after: roles },
    ip: context.ip,
  });
  return roles;
}

export const getOwnSecurity = (actor: Actor | null) => getOwnSecurityWith(db(), actor);
export const startOwnTotp = (actor: Actor | null) => startOwnTotpWith(db(), actor);
export const confirmOwnTotp = (actor: Actor | null, code: unknown, context?: Context) =>
  confirmOwnTotpWith(db(), actor, code, context);
export const removeOwnTotp = (actor: Actor | null, context?: Context) => removeOwnTotpWith(db(), actor, context);
export const regenerateOwnRecoveryCodes = (actor: Actor | null, context?: Context) =>
  regenerateOwnRecoveryCodesWith(db(), actor, context);
export const ownPasskeyOptions = (actor: Actor | null, rp: RelyingParty) => ownPasskeyOptionsWith(db(), actor, rp);
export const registerOwnPasskey = (
  actor: Actor | null,
  input: { response: RegistrationResponseJSON; name: unknown },
  rp: RelyingParty,
  context?: Context,
) => registerOwnPasskeyWith(db(), actor, input, rp, context);
export const removeOwnPasskey = (actor: Actor | null, id: unknown, context?: Context) =>
  removeOwnPasskeyWith(db(), actor, id, context);
export const getMfaRequiredRoles = (actor: Actor | null) => getMfaRequiredRolesWith(db(), actor);
export const setMfaRequiredRoles = (actor: Actor | null, raw: unknown, context?: Context) =>
  setMfaRequiredRolesWith(db(), actor, raw, context);
