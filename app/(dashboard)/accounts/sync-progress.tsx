"use client";
/** Live sync progress (polled from /api/sync while a run is active) and the run history. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { SyncStatusBadge } from "@/components/ui/freshness";
import type { SyncStatus } from "@/lib/server/dal/sync";
import { callApi, SYNC_STATUS_KEY } from "./api-client";

function useSyncStatus(initial: SyncStatus) {
  const router = useRouter();
  const query = useQuery({
    queryKey: SYNC_STATUS_KEY,
    queryFn: () => callApi<SyncStatus>("/api/sync"),
    initialData: initial,
    refetchInterval: (q) => ((q.state.data?.active.length ?? 0) > 0 ? 1000 : 15_000),
  });
  // When a run finishes, the server-rendered table (statuses, freshness, bucket counts) is refreshed too.
  const activeCount = query.data.active.length;
  const previous = useRef(activeCount);
  useEffect(() => {
    if (previous.current > 0 && activeCount === 0) router.refresh();
    previous.current = activeCount;
  }, [activeCount, router]);
  return query;
}

export function useSyncNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (accountId?: string) =>
      callApi<{ syncRunId: string; queued: number; alreadySyncing: number }>("/api/sync", {
        method: "POST",
        body: accountId ? { accountId } : {},
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: SYNC_STATUS_KEY }),
  });
}

export function SyncAllButton() {
  const sync = useSyncNow();
  return (
    <div className="flex items-center gap-3">
      {sync.error ? (
        <span role="alert" className="text-sm text-rose-700">
          {sync.error.message}
        </span>
      ) : null}
      <button
        type="button"
        onClick={() => sync.mutate(undefined)}
        disabled={sync.isPending}
        className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
      >
        {sync.isPending ? "Queuing…" : "Sync all now"}
      </button>
    </div>
  );
}

const duration = (ms: number | null) =>
  ms === null ? "—" : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
const when = (iso: string | null) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");

function Bar({ done, total }: { done: number; total: number }) {
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div className="h-1.5 w-28 overflow-hidden rounded-full bg-slate-100" aria-hidden>
      <div className="h-full rounded-full bg-indigo-500 transition-all" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function SyncProgress({ initial }: { initial: SyncStatus }) {
  const { data, error } = useSyncStatus(initial);
  return (
    <div className="space-y-4">
      {error ? (
        <p role="alert" className="text-sm text-rose-700">
          Could not refresh the sync status: {error.message}
        </p>
      ) : null}
      {data.active.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="sync-idle">
          No sync is running.
        </p>
      ) : (
        data.active.map((run) => (
          <div
            key={run.id}
            className="rounded-lg border border-indigo-100 bg-indigo-50/40 p-4"
            data-testid="sync-active"
          >
            <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
              <SyncStatusBadge status="running" />
              <span className="font-medium text-slate-900">
                {run.accountsDone} of {run.accountsTotal} account(s) done
              </span>
              {run.accountsFailed ? <span className="text-rose-700">{run.accountsFailed} failed</span> : null}
              <span className="text-xs text-slate-500">
                {run.trigger} · requested {when(run.requestedAt)}
              </span>
            </div>
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-1 pr-4">Account</th>
                  <th className="py-1 pr-4">Status</th>
                  <th className="py-1 pr-4">Regions</th>
                  <th className="py-1 pr-4">Buckets read</th>
                  <th className="py-1 pr-4">Errors</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-indigo-100/70">
                {run.accounts.map((a) => (
                  <tr key={a.accountId} data-testid={`sync-progress-${a.accountId}`}>
                    <td className="py-1.5 pr-4">
                      <div className="font-medium text-slate-800">{a.name}</div>
                      <div className="font-mono text-xs text-slate-500">{a.accountId}</div>
                    </td>
                    <td className="py-1.5 pr-4">
                      <SyncStatusBadge status={a.status === "queued" ? "queued" : a.status} />
                      {a.attempts > 1 ? (
                        <span className="ml-2 text-xs text-amber-700">attempt {a.attempts}</span>
                      ) : null}
                      {a.error ? <p className="mt-1 max-w-md text-xs text-rose-700">{a.error}</p> : null}
                    </td>
                    <td className="py-1.5 pr-4 tabular-nums">
                      <div className="flex items-center gap-2">
                        <Bar done={a.regionsDone} total={a.regionsTotal} /> {a.regionsDone}/{a.regionsTotal || "?"}
                      </div>
                    </td>
                    <td className="py-1.5 pr-4 tabular-nums">
                      <div className="flex items-center gap-2">
                        <Bar done={a.bucketsRead} total={a.bucketsTotal} /> {a.bucketsRead}/{a.bucketsTotal || "?"}
                      </div>
                    </td>
                    <td className={`py-1.5 pr-4 tabular-nums ${a.errors ? "text-rose-700" : "text-slate-500"}`}>
                      {a.errors}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}

      <div>
        <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Recent runs</h3>
        {data.history.length === 0 ? (
          <p className="text-sm text-slate-500">No sync has run yet.</p>
        ) : (
          <table className="min-w-full text-sm" data-testid="sync-history">
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-4">Requested</th>
                <th className="py-1 pr-4">Trigger</th>
                <th className="py-1 pr-4">Outcome</th>
                <th className="py-1 pr-4">Accounts</th>
                <th className="py-1 pr-4">Duration</th>
                <th className="py-1 pr-4">AWS calls</th>
                <th className="py-1 pr-4">Errors</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.history.map((r) => (
                <tr key={r.id}>
                  <td className="py-1.5 pr-4 text-slate-600">{when(r.requestedAt)}</td>
                  <td className="py-1.5 pr-4 text-slate-600">{r.trigger}</td>
                  <td className="py-1.5 pr-4">
                    {r.finishedAt ? <SyncStatusBadge status={r.status} /> : <SyncStatusBadge status="running" />}
                  </td>
                  <td className="py-1.5 pr-4 tabular-nums">
                    {r.accountsDone}/{r.accountsTotal}
                    {r.accountsFailed ? <span className="text-rose-700"> · {r.accountsFailed} failed</span> : null}
                  </td>
                  <td className="py-1.5 pr-4 tabular-nums">{duration(r.durationMs)}</td>
                  <td className="py-1.5 pr-4 tabular-nums">{r.calls.toLocaleString("en")}</td>
                  <td className="max-w-xs py-1.5 pr-4 text-xs text-rose-700">{r.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
