"use client";
/**
 * "Re-evaluating N buckets… x%": shown on every page while a background re-evaluation runs (after a scheme change),
 * polling its progress; when it ends the page refreshes so every verdict on it is the new one.
 */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

export interface BannerStatus {
  id: string;
  state: "running" | "succeeded" | "failed" | "interrupted";
  reason: string;
  total: number;
  done: number;
  finishedAt: string | null;
  error: string | null;
}

export function ReevaluationBanner({ initial }: { initial: BannerStatus | null }) {
  const router = useRouter();
  const [status, setStatus] = useState(initial);
  const running = status?.state === "running";

  useEffect(() => {
    if (!running) return;
    let stop = false;
    const timer = setInterval(async () => {
      try {
        const res = await fetch("/api/reevaluation", { cache: "no-store" });
        if (!res.ok || stop) return;
        const next = ((await res.json()) as { status: BannerStatus | null }).status;
        setStatus(next);
        if (next?.state !== "running") router.refresh();
      } catch {
        /* the next poll tries again */
      }
    }, 1500);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [running, router]);

  if (!status) return null;
  if (status.state === "running") {
    const pct = status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
    return (
      <div
        role="status"
        data-testid="reevaluation-banner"
        className="mb-6 rounded-xl border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900"
      >
        <div className="flex items-center justify-between gap-4">
          <span>
            Re-evaluating {status.total.toLocaleString("en")} buckets… {pct}%
          </span>
          <span className="truncate text-xs text-indigo-700">{status.reason}</span>
        </div>
        <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-indigo-100">
          <div className="h-full bg-indigo-500 transition-all" style={{ width: `${pct}%` }} />
        </div>
      </div>
    );
  }
  const recent = status.finishedAt !== null && Date.now() - Date.parse(status.finishedAt) < 60 * 60_000;
  if ((status.state === "failed" || status.state === "interrupted") && (recent || status.state === "interrupted")) {
    return (
      <div
        role="alert"
        data-testid="reevaluation-banner"
        className="mb-6 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800"
      >
        The re-evaluation after “{status.reason}”{" "}
        {status.state === "failed" ? `failed: ${status.error ?? "unknown error"}` : "was interrupted"} (
        {status.done.toLocaleString("en")} of {status.total.toLocaleString("en")} buckets done). Verdicts of the others
        still use the previous scheme version; the next sync re-evaluates them.
      </div>
    );
  }
  return null;
}
