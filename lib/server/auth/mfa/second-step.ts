import "server-only";
/**
 * The second sign-in step, driven by the pending-MFA cookie (see pending.ts): verify a TOTP code, a recovery code or
 * a passkey; or, for a role that requires MFA and a user without a factor, enrol one (TOTP or passkey) — only then
 * is a session created. Every attempt is audited as mfa.verify / mfa.enrol; 5 wrong answers end the pending state.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Db } from "@/lib/db/prisma";
import { writeAudit } from "@/lib/server/audit";
import {
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  verifyPasskey,
  type RelyingParty,
} from "@/lib/server/auth/mfa/passkeys";
import {
  markPendingEnrolled,
  recordSecondFactorFailure,
  resolvePendingMfa,
  setPendingWebauthnChallenge,
  type PendingMfa,
} from "@/lib/server/auth/mfa/pending";
import { completeSecondFactor } from "@/lib/server/auth/mfa/sign-in-step";
import {
  confirmTotpEnrolment,
  consumeRecoveryCode,
  consumeTotpCode,
  startTotpEnrolment,
} from "@/lib/server/auth/mfa/totp";
import type { SessionPolicy } from "@/lib/server/auth/session";

export type Meta = { ip: string | null; userAgent: string | null };
export type StepResult<T = object> =
  | ({ ok: true; session: { token: string; expiresAt: Date } } & T)
  /** restart: the pending state is gone (expired, used up): the user must enter the password again. */
  | { ok: false; message: string; restart: boolean };

export const PENDING_GONE = "Your sign-in expired or had too many wrong codes. Sign in again.";
const gone = { ok: false as const, message: PENDING_GONE, restart: true };

async function failed(
  client: Db,
  pending: PendingMfa,
  action: "mfa.verify" | "mfa.enrol",
  factor: string,
  meta: Meta,
  message: string,
) {
  await writeAudit(client, { actor: pending.user, action, outcome: "failure", detail: { factor }, ip: meta.ip });
  const usedUp = await recordSecondFactorFailure(client, pending);
  return usedUp ? gone : { ok: false as const, message, restart: false };
}

async function succeeded(
  client: Db,
  pending: PendingMfa,
  action: "mfa.verify" | "mfa.enrol",
  factor: "totp" | "recovery-code" | "passkey",
  policy: SessionPolicy,
  meta: Meta,
) {
  const session = await completeSecondFactor(client, pending, factor, policy, meta);
  if (!session) return null;
  await writeAudit(client, { actor: pending.user, action, outcome: "success", detail: { factor }, ip: meta.ip });
  return session;
}

export async function pendingStep(client: Db, token: string | undefined) {
  const pending = await resolvePendingMfa(client, token);
  if (!pending) return null;
  if (pending.step !== "verify") return { step: pending.step, email: pending.user.email };
  const passkeys = await client.userPasskey.count({ where: { userId: pending.user.id } });
  const totp = await client.userTotp.count({ where: { userId: pending.user.id, confirmedAt: { not: null } } });
  return { step: "verify" as const, email: pending.user.email, totp: totp > 0, passkeys: passkeys > 0 };
}

/** A 6-digit TOTP code, or a recovery code (xxxxx-xxxxx). */
export async function verifyCode(
  client: Db,
  token: string | undefined,
  rawCode: string,
  policy: SessionPolicy,
  meta: Meta,
): Promise<StepResult> {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "verify") return gone;
  const code = rawCode.trim().slice(0, 40);
  const isTotp = /^\d{3}\s?\d{3}$/.test(code);
  const factor = isTotp ? "totp" : "recovery-code";
  const valid = isTotp
    ? await consumeTotpCode(client, pending.user.id, code, { confirmed: true })
    : await consumeRecoveryCode(client, pending.user.id, code);
  if (!valid)
    return failed(client, pending, "mfa.verify", factor, meta, "That code is not right, or was already used.");
  const session = await succeeded(client, pending, "mfa.verify", factor, policy, meta);
  return session ? { ok: true, session } : gone;
}

export async function passkeySignInOptions(client: Db, token: string | undefined, rp: RelyingParty) {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "verify") return null;
  const options = await passkeyAuthenticationOptions(client, pending.user.id, rp);
  if (options) await setPendingWebauthnChallenge(client, pending, options.challenge);
  return options;
}

export async function verifyPasskeySignIn(
  client: Db,
  token: string | undefined,
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
  policy: SessionPolicy,
  meta: Meta,
): Promise<StepResult> {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "verify") return gone;
  const valid =
    pending.webauthnChallenge !== null &&
    (await verifyPasskey(client, pending.user.id, { response, expectedChallenge: pending.webauthnChallenge }, rp));
  if (!valid) return failed(client, pending, "mfa.verify", "passkey", meta, "The passkey was not accepted.");
  const session = await succeeded(client, pending, "mfa.verify", "passkey", policy, meta);
  return session ? { ok: true, session } : gone;
}

export async function startEnrolTotp(client: Db, token: string | undefined) {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "enrol") return null;
  await client.userTotp.deleteMany({ where: { userId: pending.user.id, confirmedAt: null } });
  return startTotpEnrolment(client, pending.user);
}

/**
 * Confirms the new authenticator and answers with the recovery codes. The session is opened by the next call
 * (finishEnrolment, when the user has saved the codes), so showing the codes does not race a page refresh.
 */
export async function confirmEnrolTotp(
  client: Db,
  token: string | undefined,
  code: string,
  meta: Meta,
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; message: string; restart: boolean }> {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "enrol") return gone;
  const recoveryCodes = await confirmTotpEnrolment(client, pending.user.id, code.trim());
  if (!recoveryCodes)
    return failed(
      client,
      pending,
      "mfa.enrol",
      "totp",
      meta,
      "That code is not right. Check the time on your device and try the next code.",
    );
  await markPendingEnrolled(client, pending);
  await writeAudit(client, {
    actor: pending.user,
    action: "mfa.enrol",
    outcome: "success",
    detail: { factor: "totp" },
    ip: meta.ip,
  });
  return { ok: true, recoveryCodes };
}

export async function finishEnrolment(
  client: Db,
  token: string | undefined,
  policy: SessionPolicy,
  meta: Meta,
): Promise<StepResult> {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "enrolled") return gone;
  const session = await completeSecondFactor(client, pending, "totp", policy, meta);
  return session ? { ok: true, session } : gone;
}

export async function enrolPasskeyOptions(client: Db, token: string | undefined, rp: RelyingParty) {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "enrol") return null;
  const options = await passkeyRegistrationOptions(client, pending.user, rp);
  await setPendingWebauthnChallenge(client, pending, options.challenge);
  return options;
}

export async function enrolPasskey(
  client: Db,
  token: string | undefined,
  input: { response: RegistrationResponseJSON; name: string },
  rp: RelyingParty,
  policy: SessionPolicy,
  meta: Meta,
): Promise<StepResult> {
  const pending = await resolvePendingMfa(client, token);
  if (!pending || pending.step !== "enrol" || !pending.webauthnChallenge) return gone;
  try {
    await registerPasskey(client, pending.user.id, { ...input, expectedChallenge: pending.webauthnChallenge }, rp);
  } catch {
    return failed(client, pending, "mfa.enrol", "passkey", meta, "The passkey could not be registered.");
  }
  const session = await succeeded(client, pending, "mfa.enrol", "passkey", policy, meta);
  return session ? { ok: true, session } : gone;
}
