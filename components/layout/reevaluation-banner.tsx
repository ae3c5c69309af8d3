"use client";
/**
 * The background re-evaluation after a scheme change, on every page: "Re-evaluating — 37 of 120 buckets (30 %)"
 * with a bar while it runs, then "Re-evaluation done — N buckets re-evaluated" until dismissed (or for ten minutes),
 * or what went wrong. When the run ends the page refreshes, so every verdict on it is the new one.
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { progressText, useReevaluationStatus, type ReevaluationState } from "./reevaluation-status";

export type BannerStatus = ReevaluationState;

const DONE_SHOWN_MS = 10 * 60_000;
const DISMISSED_KEY = "custody.reevaluation.dismissed";

export function ReevaluationBanner({ initial }: { initial: BannerStatus | null }) {
  const router = useRouter();
  const { data: status } = useReevaluationStatus(initial);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const lastState = useRef(status?.state);

  useEffect(() => {
    setDismissed(window.sessionStorage.getItem(DISMISSED_KEY));
  }, []);
  useEffect(() => {
    // Running → ended: reload the server-rendered page so its verdicts are the new ones.
    if (lastState.current === "running" && status && status.state !== "running") router.refresh();
    lastState.current = status?.state;
  }, [status, router]);

  if (!status || dismissed === status.id) return null;
  if (status.state === "running") {
    const pct = status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
    return (
      <div
        role="status"
        data-testid="reevaluation-banner"
        data-state="running"
        className="mb-6 rounded-xl border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900"
      >
        <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
          <span>Re-evaluating — {progressText(status)}</span>
          <span className="min-w-0 truncate text-xs text-indigo-700">{status.reason}</span>
        </div>
        <div
          className="mt-2 h-1.5 overflow-hidden rounded-full bg-indigo-100"
          role="progressbar"
          aria-label="Re-evaluation progress"
          aria-valuemin={0}
          aria-valuemax={status.total}
          aria-valuenow={status.done}
        >
          <div className="h-full bg-indigo-500 transition-all" style={{ width: `${pct}%` }} />
        </div>
      </div>
    );
  }
  const dismiss = () => {
    window.sessionStorage.setItem(DISMISSED_KEY, status.id);
    setDismissed(status.id);
  };
  const finishedMsAgo = status.finishedAt === null ? Infinity : Date.now() - Date.parse(status.finishedAt);
  if (status.state === "succeeded" && finishedMsAgo < DONE_SHOWN_MS) {
    return (
      <div
        role="status"
        data-testid="reevaluation-banner"
        data-state="succeeded"
        className="mb-6 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-xl border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900"
      >
        <span>
          <strong>Re-evaluation done</strong> — {status.done.toLocaleString("en")}{" "}
          {status.done === 1 ? "bucket" : "buckets"} re-evaluated after “{status.reason}”. Every verdict shown uses the
          new scheme.
        </span>
        <DismissButton onClick={dismiss} />
      </div>
    );
  }
  if (
    (status.state === "failed" || status.state === "interrupted") &&
    (finishedMsAgo < 60 * 60_000 || status.state === "interrupted")
  ) {
    return (
      <div
        role="alert"
        data-testid="reevaluation-banner"
        data-state={status.state}
        className="mb-6 flex flex-wrap items-start justify-between gap-x-4 gap-y-1 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800"
      >
        <span className="min-w-0 flex-1">
          The re-evaluation after “{status.reason}”{" "}
          {status.state === "failed" ? `failed: ${status.error ?? "unknown error"}` : "was interrupted"} (
          {progressText(status)} done). Verdicts of the others still use the previous scheme version; the next sync
          re-evaluates them.
        </span>
        <DismissButton onClick={dismiss} />
      </div>
    );
  }
  return null;
}

function DismissButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded-md px-2 py-0.5 text-xs font-medium underline hover:no-underline"
    >
      Dismiss
    </button>
  );
}
