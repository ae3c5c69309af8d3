"use client";
/**
 * Per-account actions: "Sync now" (sync:run); "Test connection", "Edit" (name, role ARN, ExternalId) and "Unlink"
 * (accounts:manage), each with its outcome inline.
 */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "./api-client";
import { useSyncNow } from "./sync-progress";

type TestResult =
  | { ok: true; callerArn: string; externalIdEnforced: boolean | null; warning: string | null }
  | { ok: false; code: string; explanation: string };

export interface AccountForActions {
  id: string;
  name: string;
  roleArn: string;
  externalId: string | null;
}

const button =
  "whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";
const field = "mt-0.5 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono text-xs text-slate-900";

export function AccountActions({
  account,
  canSync,
  canManage,
}: {
  account: AccountForActions;
  canSync: boolean;
  canManage: boolean;
}) {
  const router = useRouter();
  const sync = useSyncNow();
  const [panel, setPanel] = useState<"none" | "edit" | "unlink">("none");
  const test = useMutation({
    mutationFn: () => callApi<TestResult>(`/api/accounts/${account.id}/test-connection`, { method: "POST" }),
    onSettled: () => router.refresh(),
  });
  const edit = useMutation({
    mutationFn: (body: { name: string; roleArn: string; externalId: string }) =>
      callApi(`/api/accounts/${account.id}`, { method: "PATCH", body }),
    onSuccess: () => {
      setPanel("none");
      test.reset();
      router.refresh();
    },
  });
  const unlink = useMutation({
    mutationFn: () => callApi(`/api/accounts/${account.id}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="flex flex-col items-start gap-1.5">
      <div className="flex flex-wrap gap-2">
        {canSync ? (
          <button type="button" className={button} disabled={sync.isPending} onClick={() => sync.mutate(account.id)}>
            {sync.isPending ? "Queuing…" : "Sync now"}
          </button>
        ) : null}
        {canManage ? (
          <>
            <button type="button" className={button} disabled={test.isPending} onClick={() => test.mutate()}>
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
            <button
              type="button"
              className={button}
              aria-expanded={panel === "edit"}
              onClick={() => setPanel(panel === "edit" ? "none" : "edit")}
            >
              Edit
            </button>
            <button
              type="button"
              className={button}
              aria-expanded={panel === "unlink"}
              onClick={() => setPanel(panel === "unlink" ? "none" : "unlink")}
            >
              Unlink…
            </button>
          </>
        ) : null}
      </div>
      {sync.data ? (
        <p className="text-xs text-slate-500">
          {sync.data.queued ? "Queued — progress above." : "Already syncing — progress above."}
        </p>
      ) : null}
      {sync.error ? (
        <p role="alert" className="w-64 max-w-full text-xs text-rose-700">
          {sync.error.message}
        </p>
      ) : null}
      {test.error ? (
        <p role="alert" className="w-64 max-w-full text-xs text-rose-700">
          {test.error.message}
        </p>
      ) : null}
      {test.data ? (
        <div
          role="status"
          data-testid="test-result"
          className={`w-64 max-w-full rounded-md p-2 text-xs ${test.data.ok ? "bg-emerald-50 text-emerald-900" : "bg-rose-50 text-rose-900"}`}
        >
          {test.data.ok ? (
            <>
              <strong>Connection OK.</strong> Assumed <span className="break-all font-mono">{test.data.callerArn}</span>
              {test.data.warning ? (
                <p className="mt-1 font-medium text-amber-900" data-testid="test-warning">
                  Warning: {test.data.warning}
                </p>
              ) : null}
            </>
          ) : (
            <>
              <strong>Connection failed ({test.data.code}).</strong> {test.data.explanation}
            </>
          )}
        </div>
      ) : null}

      {panel === "edit" ? (
        <form
          className="w-72 max-w-full space-y-2 rounded-md border border-slate-200 bg-slate-50 p-2 text-xs"
          data-testid="edit-account"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            edit.mutate({
              name: String(form.get("name") ?? ""),
              roleArn: String(form.get("roleArn") ?? ""),
              externalId: String(form.get("externalId") ?? ""),
            });
          }}
        >
          <label className="block text-slate-700">
            Name
            <input name="name" defaultValue={account.name} className={field} maxLength={100} />
          </label>
          <label className="block text-slate-700">
            Role ARN
            <input name="roleArn" defaultValue={account.roleArn} className={field} required />
          </label>
          <label className="block text-slate-700">
            ExternalId
            <input name="externalId" defaultValue={account.externalId ?? ""} className={field} />
          </label>
          {edit.error ? (
            <p role="alert" className="text-rose-700">
              {edit.error.message}
            </p>
          ) : null}
          <div className="flex gap-2">
            <button type="submit" className={button} disabled={edit.isPending}>
              {edit.isPending ? "Saving…" : "Save"}
            </button>
            <button type="button" className={button} onClick={() => setPanel("none")}>
              Cancel
            </button>
          </div>
          <p className="text-slate-600">Then test the connection again.</p>
        </form>
      ) : null}

      {panel === "unlink" ? (
        <div
          role="group"
          aria-label={`Unlink ${account.name}`}
          className="w-72 max-w-full space-y-2 rounded-md border border-rose-200 bg-rose-50 p-2 text-xs text-rose-950"
          data-testid="unlink-account"
        >
          <p>
            Unlink <strong>{account.name}</strong> ({account.id})? Custody stops syncing it. What it read so far —
            buckets as last read, sync history, audit log — stays. Linking it again resumes it.
          </p>
          {unlink.error ? (
            <p role="alert" className="text-rose-800">
              {unlink.error.message}
            </p>
          ) : null}
          <div className="flex gap-2">
            <button
              type="button"
              className="rounded-md bg-rose-700 px-2.5 py-1 text-xs font-medium text-white hover:bg-rose-800 disabled:opacity-60"
              disabled={unlink.isPending}
              onClick={() => unlink.mutate()}
            >
              {unlink.isPending ? "Unlinking…" : "Unlink account"}
            </button>
            <button type="button" className={button} onClick={() => setPanel("none")}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
