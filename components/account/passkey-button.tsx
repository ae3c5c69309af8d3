"use client";
/** Runs a WebAuthn ceremony in the browser (@simplewebauthn/browser) between two server actions. */
import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { useState } from "react";

const buttonClass =
  "w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 disabled:opacity-60";

type Outcome = { error: string | null } | void;

function describe(error: unknown): string {
  if (error instanceof Error && error.name === "NotAllowedError")
    return "The passkey request was cancelled or timed out.";
  if (error instanceof Error && /NEXT_REDIRECT/.test(error.message)) throw error;
  return error instanceof Error ? error.message : "The passkey did not work.";
}

export function PasskeySignInButton({
  getOptions,
  verify,
}: {
  getOptions: () => Promise<PublicKeyCredentialRequestOptionsJSON | null>;
  verify: (response: Awaited<ReturnType<typeof startAuthentication>>) => Promise<Outcome>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function run() {
    setPending(true);
    setError(null);
    try {
      const options = await getOptions();
      if (!options) return setError("Your sign-in expired. Sign in again.");
      const outcome = await verify(await startAuthentication({ optionsJSON: options }));
      if (outcome?.error) setError(outcome.error);
    } catch (e) {
      setError(describe(e));
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="space-y-2">
      <button type="button" onClick={run} disabled={pending} className={buttonClass}>
        {pending ? "Waiting for the passkey…" : "Use a passkey"}
      </button>
      {error ? (
        <p role="alert" data-testid="passkey-error" className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function PasskeyRegisterButton({
  getOptions,
  register,
  label = "Register a passkey",
  withName = false,
}: {
  getOptions: () => Promise<PublicKeyCredentialCreationOptionsJSON | null>;
  register: (response: Awaited<ReturnType<typeof startRegistration>>, name: string) => Promise<Outcome>;
  label?: string;
  withName?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [name, setName] = useState("");
  async function run() {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      const options = await getOptions();
      if (!options) return setError("Your sign-in expired. Sign in again.");
      const outcome = await register(await startRegistration({ optionsJSON: options }), name);
      if (outcome?.error) setError(outcome.error);
      else setDone("Passkey registered.");
    } catch (e) {
      setError(describe(e));
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="space-y-2">
      {withName ? (
        <div>
          <label htmlFor="passkey-name" className="block text-sm font-medium text-slate-700">
            Passkey name
          </label>
          <input
            id="passkey-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={60}
            placeholder="e.g. Laptop"
            className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm"
          />
        </div>
      ) : null}
      <button type="button" onClick={run} disabled={pending} className={buttonClass}>
        {pending ? "Waiting for the passkey…" : label}
      </button>
      {error ? (
        <p role="alert" data-testid="passkey-error" className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" data-testid="passkey-ok" className="text-sm text-emerald-700">
          {done}
        </p>
      ) : null}
    </div>
  );
}
