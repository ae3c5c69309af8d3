"use server";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { passkeyAnswer, safeNextPath } from "@/lib/schemas/auth";
import { callAction, formAction } from "@/lib/server/actions/server-action";
import {
  confirmPendingTotp,
  enrolPendingPasskey,
  finishPendingEnrolment,
  pendingPasskeyEnrolmentOptions,
  pendingPasskeySignInOptions,
  startPendingTotpEnrolment,
  verifyPendingCode,
  verifyPendingPasskey,
  type StepOutcome,
} from "@/lib/server/auth/mfa/request";
import { PENDING_GONE } from "@/lib/server/auth/mfa/second-step";

export interface MfaStepState {
  error: string | null;
  restart: boolean;
  recoveryCodes?: string[];
}

const Code = z.string().trim().min(1, "Enter the code.").max(40);
/** Where to go after signing in; anything unreadable is simply not followed (safeNextPath decides). */
const Next = z.string().max(2048).optional().catch(undefined);
const stepFailed = (errors: string[]): MfaStepState => ({ error: errors[0]!, restart: false });

/** A finished step goes on to `next` with its session; otherwise the message (and whether to sign in again). */
function settled(outcome: StepOutcome, next: string | undefined): MfaStepState {
  if (!outcome.ok) return { error: outcome.message, restart: outcome.restart };
  redirect(safeNextPath(next));
}

export const verifyCodeAction = formAction({
  permission: "public",
  input: z.object({ code: Code, next: Next }),
  run: ({ input }) => verifyPendingCode(input.code),
  done: (outcome, { next }) => settled(outcome, next),
  failed: stepFailed,
});

export const passkeySignInOptionsAction = callAction({
  permission: "public",
  run: (): Promise<PublicKeyCredentialRequestOptionsJSON | null> => pendingPasskeySignInOptions(),
  failed: () => null,
});

export const verifyPasskeySignInAction = callAction({
  permission: "public",
  input: z.tuple([passkeyAnswer<AuthenticationResponseJSON>(), Next]),
  run: ({ input: [response] }) => verifyPendingPasskey(response),
  done: (outcome, [, next]) => settled(outcome, next),
  failed: stepFailed,
});

export const startEnrolTotpAction = callAction({
  permission: "public",
  run: () => startPendingTotpEnrolment(),
  done: (started): { secret: string; qrDataUrl: string } | { error: string } =>
    started ? { secret: started.secret, qrDataUrl: started.qrDataUrl } : { error: PENDING_GONE },
  failed: (errors) => ({ error: errors[0]! }),
});

/**
 * Confirms the new authenticator and answers with the recovery codes (shown once). No cookie changes here: that
 * would make Next re-render the page and lose the codes; finishEnrolmentAction opens the session.
 */
export const confirmEnrolTotpAction = formAction({
  permission: "public",
  input: z.object({ code: Code }),
  run: ({ input }) => confirmPendingTotp(input.code),
  done: (result): MfaStepState =>
    result.ok
      ? { error: null, restart: false, recoveryCodes: result.recoveryCodes }
      : { error: result.message, restart: result.restart },
  failed: stepFailed,
});

export const finishEnrolmentAction = formAction({
  permission: "public",
  input: z.object({ next: Next }),
  run: () => finishPendingEnrolment(),
  done: (outcome, { next }) => settled(outcome, next),
  failed: stepFailed,
});

export const enrolPasskeyOptionsAction = callAction({
  permission: "public",
  run: (): Promise<PublicKeyCredentialCreationOptionsJSON | null> => pendingPasskeyEnrolmentOptions(),
  failed: () => null,
});

export const enrolPasskeyAction = callAction({
  permission: "public",
  input: z.tuple([passkeyAnswer<RegistrationResponseJSON>(), z.string().trim().max(60).catch("Passkey"), Next]),
  run: ({ input: [response, name] }) => enrolPendingPasskey({ response, name }),
  done: (outcome, [, , next]) => settled(outcome, next),
  failed: stepFailed,
});
