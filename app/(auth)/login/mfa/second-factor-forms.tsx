"use client";
import Link from "next/link";
import { useActionState, useState } from "react";
import { PasskeyRegisterButton, PasskeySignInButton } from "@/components/account/passkey-button";
import { RecoveryCodes, TotpSecret } from "@/components/account/recovery-codes";
import {
  confirmEnrolTotpAction,
  enrolPasskeyAction,
  enrolPasskeyOptionsAction,
  finishEnrolmentAction,
  passkeySignInOptionsAction,
  startEnrolTotpAction,
  verifyCodeAction,
  verifyPasskeySignInAction,
  type MfaStepState,
} from "./actions";

const inputClass =
  "mt-1.5 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20";
const primary =
  "w-full rounded-lg bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60";
const initial: MfaStepState = { error: null, restart: false };

function StepError({ state, next }: { state: MfaStepState; next: string }) {
  if (!state.error) return null;
  return (
    <p
      role="alert"
      data-testid="mfa-error"
      className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
    >
      {state.error}{" "}
      {state.restart ? (
        <Link href={`/login?next=${encodeURIComponent(next)}`} className="font-semibold underline">
          Sign in again
        </Link>
      ) : null}
    </p>
  );
}

export function VerifyStep({ next, totp, passkeys }: { next: string; totp: boolean; passkeys: boolean }) {
  const [state, action, pending] = useActionState(verifyCodeAction, initial);
  return (
    <div className="space-y-6">
      {passkeys ? (
        <PasskeySignInButton
          getOptions={passkeySignInOptionsAction}
          verify={(response) => verifyPasskeySignInAction(response, next)}
        />
      ) : null}
      <form action={action} className="space-y-4" noValidate>
        <input type="hidden" name="next" value={next} />
        <div>
          <label htmlFor="code" className="block text-sm font-medium text-slate-700">
            {totp ? "Code from your authenticator app (or a recovery code)" : "Recovery code"}
          </label>
          <input
            id="code"
            name="code"
            inputMode={totp ? "numeric" : "text"}
            autoComplete="one-time-code"
            required
            maxLength={40}
            className={inputClass}
          />
        </div>
        <StepError state={state} next={next} />
        <button type="submit" disabled={pending} className={primary}>
          {pending ? "Checking…" : "Verify"}
        </button>
      </form>
    </div>
  );
}

export function EnrolStep({ next }: { next: string }) {
  const [totp, setTotp] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [state, action, pending] = useActionState(confirmEnrolTotpAction, initial);
  const [passkeyState, setPasskeyState] = useState<MfaStepState>(initial);

  if (state.recoveryCodes) {
    return (
      <div className="space-y-4">
        <RecoveryCodes codes={state.recoveryCodes} />
        <ContinueStep next={next} />
      </div>
    );
  }
  return (
    <div className="space-y-6">
      {totp ? (
        <form action={action} className="space-y-4" noValidate>
          <TotpSecret secret={totp.secret} qrDataUrl={totp.qrDataUrl} />
          <div>
            <label htmlFor="code" className="block text-sm font-medium text-slate-700">
              Code from the app
            </label>
            <input
              id="code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={10}
              className={inputClass}
            />
          </div>
          <StepError state={state} next={next} />
          <button type="submit" disabled={pending} className={primary}>
            {pending ? "Checking…" : "Confirm"}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className={primary}
          onClick={async () => {
            const r = await startEnrolTotpAction();
            if ("error" in r) setStartError(r.error);
            else setTotp(r);
          }}
        >
          Set up an authenticator app
        </button>
      )}
      {startError ? <StepError state={{ error: startError, restart: true }} next={next} /> : null}
      <div className="border-t border-slate-200 pt-5">
        <PasskeyRegisterButton
          getOptions={enrolPasskeyOptionsAction}
          register={async (response, name) => {
            const r = await enrolPasskeyAction(response, name, next);
            setPasskeyState(r);
            return r;
          }}
        />
        <StepError state={passkeyState} next={next} />
      </div>
    </div>
  );
}

/** After a required factor was set up: open the session. */
export function ContinueStep({ next }: { next: string }) {
  const [state, action, pending] = useActionState(finishEnrolmentAction, initial);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="next" value={next} />
      <StepError state={state} next={next} />
      <button type="submit" disabled={pending} className={primary}>
        Continue
      </button>
    </form>
  );
}
