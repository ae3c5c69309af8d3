"use client";
/** Per-account buttons: "Sync now" (sync:run) and "Test connection" (accounts:manage), with the outcome inline. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "./api-client";
import { useSyncNow } from "./sync-progress";

type TestResult = { ok: true; callerArn: string; externalIdEnforced: boolean | null } | { ok: false; code: string; explanation: string };

export function AccountActions({ accountId, canSync, canManage }: { accountId: string; canSync: boolean; canManage: boolean }) {
  const router = useRouter();
  const sync = useSyncNow();
  const test = useMutation({
    mutationFn: () => callApi<TestResult>(`/api/accounts/${accountId}/test-connection`, { method: "POST" }),
    onSettled: () => router.refresh(),
  });
  const button = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";
  return (
    <div className="flex flex-col items-start gap-1.5">
      <div className="flex gap-2">
        {canSync ? (
          <button type="button" className={button} disabled={sync.isPending} onClick={() => sync.mutate(accountId)}>
            {sync.isPending ? "Queuing…" : "Sync now"}
          </button>
        ) : null}
        {canManage ? (
          <button type="button" className={button} disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
        ) : null}
      </div>
      {sync.data ? (
        <p className="text-xs text-slate-500">{sync.data.queued ? "Queued — progress above." : "Already syncing — progress above."}</p>
      ) : null}
      {sync.error ? <p role="alert" className="max-w-xs text-xs text-rose-700">{sync.error.message}</p> : null}
      {test.error ? <p role="alert" className="max-w-xs text-xs text-rose-700">{test.error.message}</p> : null}
      {test.data ? (
        <div role="status" data-testid="test-result" className={`max-w-xs rounded-md p-2 text-xs ${test.data.ok ? "bg-emerald-50 text-emerald-800" : "bg-rose-50 text-rose-800"}`}>
          {test.data.ok ? (
            <>
              <strong>Connection OK.</strong> Assumed <span className="break-all font-mono">{test.data.callerArn}</span>
              {test.data.externalIdEnforced === false ? <p className="mt-1 text-amber-800">The role can also be assumed without the ExternalId: add the sts:ExternalId condition to its trust policy.</p> : null}
            </>
          ) : (
            <>
              <strong>Connection failed ({test.data.code}).</strong> {test.data.explanation}
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}
