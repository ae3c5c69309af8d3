"use client";
/** Verify a bundle you hold: upload the ZIP or paste the SHA-256 of its manifest.json; the answer says match or not, and why. */
import { useState } from "react";

interface Result {
  match: boolean;
  message: string;
  files: { name: string; ok: boolean }[];
}

export function VerifyBundleForm() {
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="space-y-3"
      data-testid="verify-bundle"
      onSubmit={async (e) => {
        e.preventDefault();
        setPending(true);
        setError(null);
        setResult(null);
        try {
          const res = await fetch("/api/evidence/verify", { method: "POST", body: new FormData(e.currentTarget) });
          const body = (await res.json()) as Result & { message: string };
          if (res.ok) setResult(body);
          else setError(body.message);
        } catch {
          setError("Could not reach the server.");
        } finally {
          setPending(false);
        }
      }}
    >
      <label className="block text-sm font-medium text-slate-700">
        Bundle ZIP
        <input
          type="file"
          name="file"
          accept=".zip,application/zip"
          className="mt-1 block w-full text-sm text-slate-600 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
        />
      </label>
      <label className="block text-sm font-medium text-slate-700">
        or the SHA-256 of its manifest.json
        <input
          name="hash"
          placeholder="64 hex characters"
          className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-1.5 font-mono text-xs"
        />
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? "Checking…" : "Verify"}
      </button>
      {error ? (
        <p
          role="alert"
          data-testid="verify-error"
          className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
        >
          {error}
        </p>
      ) : null}
      {result ? (
        <div
          role="status"
          data-testid="verify-result"
          data-match={String(result.match)}
          className={`rounded-lg border px-3 py-2 text-sm ${result.match ? "border-emerald-200 bg-emerald-50 text-emerald-800" : "border-rose-200 bg-rose-50 text-rose-800"}`}
        >
          {result.message}
          {result.files.length ? (
            <ul className="mt-1 text-xs">
              {result.files.map((f) => (
                <li key={f.name}>
                  {f.ok ? "✓" : "✗"} {f.name}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
