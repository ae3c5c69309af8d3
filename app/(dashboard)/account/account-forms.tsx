"use client";
import { useActionState, useState } from "react";
import { PasskeyRegisterButton } from "@/components/account/passkey-button";
import { RecoveryCodes, TotpSecret } from "@/components/account/recovery-codes";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState } from "@/lib/action-state";
import {
  changePasswordAction,
  confirmTotpAction,
  passkeyOptionsAction,
  regenerateRecoveryCodesAction,
  registerPasskeyAction,
  removePasskeyAction,
  removeTotpAction,
  startTotpAction,
  type CodesState,
} from "./actions";

const inputClass =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20";
const primary =
  "rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60";
const secondary =
  "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";
const initialCodes: CodesState = initialActionState;

export function ChangePasswordForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState(changePasswordAction, initialActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      {/* Lets password managers file the new password under the right account. */}
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <div>
        <label htmlFor="currentPassword" className="block text-sm font-medium text-slate-700">
          Current password
        </label>
        <input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor="newPassword" className="block text-sm font-medium text-slate-700">
          New password
        </label>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={128}
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor="confirmPassword" className="block text-sm font-medium text-slate-700">
          New password again
        </label>
        <input
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          className={inputClass}
        />
      </div>
      <FormResult state={state} testId="change-password" pending={pending} />
      <button type="submit" disabled={pending} className={primary}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

export function TotpSection({ enabled, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  const [secret, setSecret] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [confirmState, confirm, confirming] = useActionState(confirmTotpAction, initialCodes);
  const [removeState, remove, removing] = useActionState(removeTotpAction, initialActionState);
  const [codesState, regenerate, regenerating] = useActionState(regenerateRecoveryCodesAction, initialCodes);
  const shownCodes = confirmState.recoveryCodes ?? codesState.recoveryCodes;

  if (enabled || confirmState.ok) {
    return (
      <div className="space-y-4">
        {shownCodes ? <RecoveryCodes codes={shownCodes} /> : null}
        <FormResult state={confirmState.ok ? confirmState : codesState} testId="totp" />
        <FormResult state={removeState} testId="totp-remove" />
        <p className="text-sm text-slate-600">Recovery codes left: {recoveryCodesLeft}</p>
        <div className="flex gap-2">
          <form action={regenerate}>
            <button type="submit" disabled={regenerating} className={secondary}>
              New recovery codes
            </button>
          </form>
          <form action={remove}>
            <button type="submit" disabled={removing} className={secondary}>
              Remove authenticator app
            </button>
          </form>
        </div>
      </div>
    );
  }
  if (!secret) {
    return (
      <div className="space-y-3">
        <button
          type="button"
          className={primary}
          onClick={async () => {
            const r = await startTotpAction();
            if ("error" in r) setStartError(r.error);
            else setSecret(r);
          }}
        >
          Set up an authenticator app
        </button>
        {startError ? (
          <FormResult state={{ ok: false, message: null, errors: [startError] }} testId="totp-start" />
        ) : null}
      </div>
    );
  }
  return (
    <form action={confirm} className="space-y-4" noValidate>
      <TotpSecret secret={secret.secret} qrDataUrl={secret.qrDataUrl} />
      <div>
        <label htmlFor="totp-code" className="block text-sm font-medium text-slate-700">
          Code from the app
        </label>
        <input
          id="totp-code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={10}
          className={inputClass}
        />
      </div>
      <FormResult state={confirmState} testId="totp" />
      <button type="submit" disabled={confirming} className={primary}>
        {confirming ? "Checking…" : "Confirm"}
      </button>
    </form>
  );
}

function RemovePasskey({ id }: { id: string }) {
  const [state, action, pending] = useActionState(removePasskeyAction, initialActionState);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className={secondary}>
        Remove
      </button>
      {state.errors.length ? (
        <span role="alert" className="text-xs text-rose-700">
          {state.errors[0]}
        </span>
      ) : null}
    </form>
  );
}

export function PasskeyList({
  passkeys,
}: {
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
}) {
  if (passkeys.length === 0) return <p className="text-sm text-slate-500">No passkeys yet.</p>;
  return (
    <ul className="divide-y divide-slate-100" data-testid="passkey-list">
      {passkeys.map((p) => (
        <li key={p.id} className="flex items-center justify-between py-2 text-sm">
          <div>
            <div className="font-medium text-slate-900">{p.name}</div>
            <div className="text-xs text-slate-500">
              added {p.createdAt.slice(0, 10)}
              {p.lastUsedAt ? ` · last used ${p.lastUsedAt.slice(0, 10)}` : ""}
            </div>
          </div>
          <RemovePasskey id={p.id} />
        </li>
      ))}
    </ul>
  );
}

export function PasskeyRegister() {
  return <PasskeyRegisterButton withName getOptions={passkeyOptionsAction} register={registerPasskeyAction} />;
}
