import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { SyncStatusBadge } from "@/components/ui/freshness";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { listAccounts } from "@/lib/server/dal/accounts";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage() {
  const actor = await requirePageActor("accounts:read");
  const accounts = await listAccounts(actor);
  const now = new Date();
  return (
    <>
      <PageHeader title="Accounts" description="Linked AWS accounts, how Custody reaches them, and how fresh their data is." />
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-3">Account</th>
              <th className="px-4 py-3">Organizational unit</th>
              <th className="px-4 py-3">Buckets</th>
              <th className="px-4 py-3">Last sync</th>
              <th className="px-4 py-3">Freshness by region</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {accounts.map((a) => (
              <tr key={a.id} className="align-top" data-testid={`account-${a.id}`}>
                <td className="px-4 py-3">
                  <div className="font-medium text-slate-900">{a.name}</div>
                  <div className="font-mono text-xs text-slate-500">{a.id}</div>
                  <div className="mt-1 break-all font-mono text-[11px] text-slate-400">{a.roleArn}</div>
                  {a.externalId ? <div className="mt-0.5 font-mono text-[11px] text-slate-400">ExternalId {a.externalId}</div> : null}
                </td>
                <td className="px-4 py-3 text-slate-600">{a.ouPath || "—"}</td>
                <td className="px-4 py-3 tabular-nums">{a.buckets}</td>
                <td className="px-4 py-3">
                  <SyncStatusBadge status={a.lastSyncStatus} />
                  <div className="mt-1 text-xs text-slate-500">
                    <RelativeTime date={a.lastSyncAt} now={now} />
                  </div>
                  {a.lastError ? <p className="mt-1 max-w-sm text-xs text-rose-700">{a.lastError}</p> : null}
                </td>
                <td className="px-4 py-3">
                  <div className="flex max-w-md flex-wrap gap-1">
                    {a.regions.map((r) => (
                      <Badge key={`${r.region}/${r.collector}`} tone={r.lastError ? "amber" : "gray"} title={r.lastError ?? `last read ${r.lastSuccessAt?.toISOString() ?? "never"}`}>
                        {r.region} · {r.collector}
                      </Badge>
                    ))}
                    {a.regions.length === 0 ? <span className="text-xs text-slate-400">no data yet</span> : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
