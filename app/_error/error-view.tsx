"use client";
/**
 * What a page shows when it failed. In production the browser never sees the server's error (only a digest), so
 * the page asks /api/health: when the database is unreachable it says so plainly and retries every few seconds,
 * reloading the page by itself once the database answers again; otherwise it is an ordinary error with a retry.
 */
import { useRouter } from "next/navigation";
import { startTransition, useEffect, useRef, useState } from "react";

const RETRY_MS = 3_000;

type State =
  { kind: "checking" } | { kind: "database-down"; reason: string | null; checks: number } | { kind: "error" };

export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: "checking" });
  const wasDown = useRef(false);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let checks = 0;
    const check = async () => {
      checks++;
      let reason: string | null = null;
      try {
        const response = await fetch("/api/health", { cache: "no-store" });
        if (response.ok) {
          if (cancelled) return;
          if (wasDown.current) {
            // The database is back: render the page again from the server.
            startTransition(() => {
              router.refresh();
              reset();
            });
          } else setState({ kind: "error" });
          return;
        }
        reason = ((await response.json().catch(() => null)) as { reason?: string } | null)?.reason ?? null;
      } catch {
        reason = "the Custody server is not answering";
      }
      if (cancelled) return;
      wasDown.current = true;
      setState({ kind: "database-down", reason, checks });
      timer = setTimeout(() => void check(), RETRY_MS);
    };
    void check();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [reset, router]);

  if (state.kind === "database-down") {
    return (
      <main
        id="content"
        tabIndex={-1}
        className="flex min-h-screen items-center justify-center bg-slate-50 px-4 outline-none"
      >
        <div className="max-w-md text-center" role="alert" aria-live="polite">
          <p className="text-sm font-semibold text-amber-700">503</p>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Database unreachable — retrying</h1>
          <p className="mt-3 text-sm text-slate-500">
            Custody cannot reach its database{state.reason ? ` (${state.reason})` : ""}. This page checks again every{" "}
            {RETRY_MS / 1000} seconds and reloads by itself when the database is back.
          </p>
          <p className="mt-2 text-xs text-slate-500">
            Checked {state.checks} time{state.checks === 1 ? "" : "s"}.
          </p>
        </div>
      </main>
    );
  }
  return (
    <main
      id="content"
      tabIndex={-1}
      className="flex min-h-screen items-center justify-center bg-slate-50 px-4 outline-none"
    >
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-600">Error</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">This page could not be shown</h1>
        <p className="mt-3 text-sm text-slate-500">
          {state.kind === "checking"
            ? "Checking the database …"
            : "Something went wrong on the server. It has been logged."}
          {error.digest ? ` Reference: ${error.digest}.` : ""}
        </p>
        <button
          type="button"
          onClick={() =>
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
          className="mt-6 inline-block rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
        >
          Try again
        </button>
      </div>
    </main>
  );
}
