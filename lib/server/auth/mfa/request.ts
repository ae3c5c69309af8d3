import "server-only";
/**
 * The second sign-in step for this request (server actions and the /login/mfa page): the pending step of the
 * browser's cookie, the relying party, the session policy and the client's address and user agent bound in, so
 * app/ never holds the database client. A step that succeeds opens the session (cookie) and ends the pending one;
 * a step that cannot go on forgets it.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { clearPendingMfaCookie, pendingMfaToken, setSessionCookie } from "@/lib/server/auth/browser-session";
import { clientIp, secureCookies, sessionPolicy } from "@/lib/server/auth/current-actor";
import { relyingPartyFrom, type RelyingParty } from "@/lib/server/auth/mfa/passkeys";
import {
  confirmEnrolTotp,
  enrolPasskey,
  enrolPasskeyOptions,
  finishEnrolment,
  passkeySignInOptions,
  pendingStep,
  startEnrolTotp,
  verifyCode,
  verifyPasskeySignIn,
  type StepResult,
} from "@/lib/server/auth/mfa/second-step";
import { db } from "@/lib/server/db";

/** The WebAuthn relying party: CUSTODY_PUBLIC_URL, else the host this request came to (set the URL in production). */
export async function relyingParty(): Promise<RelyingParty> {
  const h = await headers();
  const host = h.get("host");
  const scheme = (await secureCookies()) ? "https" : "http";
  return relyingPartyFrom(env().CUSTODY_PUBLIC_URL, host ? `${scheme}://${host}` : null);
}

const meta = async () => ({ ip: await clientIp(), userAgent: (await headers()).get("user-agent") });

export type StepOutcome = { ok: true } | { ok: false; message: string; restart: boolean };

async function settle(result: StepResult): Promise<StepOutcome> {
  if (!result.ok) {
    if (result.restart) await clearPendingMfaCookie();
    return { ok: false, message: result.message, restart: result.restart };
  }
  await setSessionCookie(result.session);
  await clearPendingMfaCookie();
  return { ok: true };
}

/** What the /login/mfa page shows: verify, enrol, enrolled — or null when the pending step is gone. */
export const currentPendingStep = async () => pendingStep(db(), await pendingMfaToken());

export const verifyPendingCode = async (code: string) =>
  settle(await verifyCode(db(), await pendingMfaToken(), code, sessionPolicy(), await meta()));

export const pendingPasskeySignInOptions = async () =>
  passkeySignInOptions(db(), await pendingMfaToken(), await relyingParty());

export const verifyPendingPasskey = async (response: AuthenticationResponseJSON) =>
  settle(
    await verifyPasskeySignIn(
      db(),
      await pendingMfaToken(),
      response,
      await relyingParty(),
      sessionPolicy(),
      await meta(),
    ),
  );

export const startPendingTotpEnrolment = async () => startEnrolTotp(db(), await pendingMfaToken());

/** Confirms the new authenticator; no cookie changes (Next would re-render and lose the recovery codes). */
export const confirmPendingTotp = async (code: string) =>
  confirmEnrolTotp(db(), await pendingMfaToken(), code, await meta());

export const finishPendingEnrolment = async () =>
  settle(await finishEnrolment(db(), await pendingMfaToken(), sessionPolicy(), await meta()));

export const pendingPasskeyEnrolmentOptions = async () =>
  enrolPasskeyOptions(db(), await pendingMfaToken(), await relyingParty());

export const enrolPendingPasskey = async (input: { response: RegistrationResponseJSON; name: string }) =>
  settle(await enrolPasskey(db(), await pendingMfaToken(), input, await relyingParty(), sessionPolicy(), await meta()));
