"use server";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeNextPath } from "@/lib/schemas/auth";
import { clientIp, sessionPolicy } from "@/lib/server/auth/current-actor";
import { clearPendingMfaCookie, pendingMfaToken, relyingParty, setSessionCookie } from "@/lib/server/auth/mfa/request";
import {
  confirmEnrolTotp,
  enrolPasskey,
  enrolPasskeyOptions,
  finishEnrolment,
  passkeySignInOptions,
  PENDING_GONE,
  startEnrolTotp,
  verifyCode,
  verifyPasskeySignIn,
  type StepResult,
} from "@/lib/server/auth/mfa/second-step";
import { db } from "@/lib/server/db";

export interface MfaStepState {
  error: string | null;
  restart: boolean;
  recoveryCodes?: string[];
}

const meta = async () => ({ ip: await clientIp(), userAgent: (await headers()).get("user-agent") });
const Code = z.string().trim().min(1, "Enter the code.").max(40);
const Next = z.string().max(2048).optional();

/** Ends the step: a session cookie and the way on, or the message (and, when the pending state is gone, no cookie). */
async function settle(result: StepResult, next: string | undefined): Promise<MfaStepState> {
  if (!result.ok) {
    if (result.restart) await clearPendingMfaCookie();
    return { error: result.message, restart: result.restart };
  }
  await setSessionCookie(result.session);
  await clearPendingMfaCookie();
  redirect(safeNextPath(next));
}

export async function verifyCodeAction(_prev: MfaStepState, form: FormData): Promise<MfaStepState> {
  const code = Code.safeParse(form.get("code"));
  if (!code.success) return { error: code.error.issues[0]!.message, restart: false };
  const next = Next.safeParse(form.get("next") ?? undefined);
  return settle(
    await verifyCode(db(), await pendingMfaToken(), code.data, sessionPolicy(), await meta()),
    next.success ? next.data : undefined,
  );
}

export async function passkeySignInOptionsAction(): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  return passkeySignInOptions(db(), await pendingMfaToken(), await relyingParty());
}

export async function verifyPasskeySignInAction(
  response: AuthenticationResponseJSON,
  next: string | undefined,
): Promise<MfaStepState> {
  if (typeof response !== "object" || response === null || typeof response.id !== "string")
    return { error: "The passkey answer was not readable.", restart: false };
  const result = await verifyPasskeySignIn(
    db(),
    await pendingMfaToken(),
    response,
    await relyingParty(),
    sessionPolicy(),
    await meta(),
  );
  return settle(result, typeof next === "string" ? next : undefined);
}

export async function startEnrolTotpAction(): Promise<{ secret: string; qrDataUrl: string } | { error: string }> {
  const started = await startEnrolTotp(db(), await pendingMfaToken());
  if (!started) return { error: PENDING_GONE };
  return { secret: started.secret, qrDataUrl: started.qrDataUrl };
}

/**
 * Confirms the new authenticator and answers with the recovery codes (shown once). No cookie changes here: that
 * would make Next re-render the page and lose the codes; finishEnrolmentAction opens the session.
 */
export async function confirmEnrolTotpAction(_prev: MfaStepState, form: FormData): Promise<MfaStepState> {
  const code = Code.safeParse(form.get("code"));
  if (!code.success) return { error: code.error.issues[0]!.message, restart: false };
  const result = await confirmEnrolTotp(db(), await pendingMfaToken(), code.data, await meta());
  if (!result.ok) return { error: result.message, restart: result.restart };
  return { error: null, restart: false, recoveryCodes: result.recoveryCodes };
}

export async function finishEnrolmentAction(_prev: MfaStepState, form: FormData): Promise<MfaStepState> {
  const next = Next.safeParse(form.get("next") ?? undefined);
  return settle(
    await finishEnrolment(db(), await pendingMfaToken(), sessionPolicy(), await meta()),
    next.success ? next.data : undefined,
  );
}

export async function enrolPasskeyOptionsAction(): Promise<PublicKeyCredentialCreationOptionsJSON | null> {
  return enrolPasskeyOptions(db(), await pendingMfaToken(), await relyingParty());
}

export async function enrolPasskeyAction(
  response: RegistrationResponseJSON,
  name: string,
  next: string | undefined,
): Promise<MfaStepState> {
  if (typeof response !== "object" || response === null || typeof response.id !== "string")
    return { error: "The passkey answer was not readable.", restart: false };
  const label = z.string().trim().max(60).safeParse(name);
  const result = await enrolPasskey(
    db(),
    await pendingMfaToken(),
    { response, name: label.success ? label.data : "Passkey" },
    await relyingParty(),
    sessionPolicy(),
    await meta(),
  );
  return settle(result, typeof next === "string" ? next : undefined);
}
