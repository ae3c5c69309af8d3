"use client";
/**
 * "Download again" for an issued bundle: asks the server to rebuild it from its record; the file is saved only when
 * the server vouches that its manifest matches the recorded SHA-256 (it answers 409 with the reason otherwise, and
 * that reason is shown here instead of a broken download).
 */
import { useState } from "react";

export function DownloadAgainButton({ bundleId }: { bundleId: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const run = async () => {
    setState({ busy: true, error: null });
    try {
      const res = await fetch(`/api/evidence/bundle/${bundleId}`, { cache: "no-store" });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        setState({ busy: false, error: body?.message ?? `The bundle could not be rebuilt (HTTP ${res.status}).` });
        return;
      }
      const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get("content-disposition") ?? "")?.[1];
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name ? decodeURIComponent(name) : "custody-evidence.zip";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ busy: false, error: null });
    } catch {
      setState({ busy: false, error: "The server could not be reached; try again." });
    }
  };
  return (
    <div className="min-w-0">
      <button
        type="button"
        onClick={run}
        disabled={state.busy}
        className="whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {state.busy ? "Rebuilding…" : "Download again"}
      </button>
      {state.error ? (
        <p role="alert" className="mt-1 max-w-xs text-xs text-rose-700">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
