import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { SyncStatusBadge } from "@/components/ui/freshness";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AccountRow } from "@/lib/server/dal/accounts";
import { AccountActions } from "./account-actions";

/**
 * The linked accounts. It sizes itself by its own width (a CSS container), not the window's, so it holds whatever
 * the navigation takes: the organizational unit and bucket count move under the account below 56rem, and below
 * 36rem every row becomes a card. Long errors are clamped (the full text one click away) and long ARNs wrap anywhere, so
 * no cell can push the actions out of view; should the box still overflow, it scrolls and the actions stay pinned.
 */
export function AccountsTable({
  accounts,
  canSync,
  canManage,
  now,
  showEvents = false,
}: {
  accounts: AccountRow[];
  canSync: boolean;
  canManage: boolean;
  now: Date;
  /** Show when each account's last bucket-change event arrived (the event path is in use). */
  showEvents?: boolean;
}) {
  const hasActions = canSync || canManage;
  // Card mode (narrow): table parts become blocks, each row a bordered card.
  const card = "@max-xl:block";
  // Should anything still make the table wider than its box, the actions stay pinned to the box's right edge.
  const stickyRight = "@xl:sticky @xl:right-0";
  return (
    <div className="@container rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="overflow-x-auto rounded-xl">
        <table className={`w-full divide-y divide-slate-200 text-sm ${card}`}>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 @max-xl:hidden">
            <tr>
              <th className="px-4 py-3">Account</th>
              <th className="hidden px-4 py-3 @4xl:table-cell">Organizational unit</th>
              <th className="hidden px-4 py-3 @4xl:table-cell">Buckets</th>
              <th className="px-4 py-3">Last sync</th>
              <th className="px-4 py-3">Freshness by region</th>
              {hasActions ? (
                <th className={`px-4 py-3 ${stickyRight} bg-slate-50`}>
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className={`divide-y divide-slate-100 ${card}`}>
            {accounts.map((a) => (
              <tr key={a.id} className={`align-top ${card} @max-xl:py-2`} data-testid={`account-${a.id}`}>
                <td className={`min-w-48 px-4 py-3 ${card} @max-xl:py-1.5`}>
                  <div className="font-medium text-slate-900">
                    {/* Those who read accounts also read account posture (posture:read: admin, security lead, auditor). */}
                    <Link
                      href={`/account-posture/${a.id}`}
                      className="text-indigo-700 hover:underline"
                      title="Audit trail and alerting posture"
                    >
                      {a.name}
                    </Link>
                  </div>
                  <div className="font-mono text-xs text-slate-500">{a.id}</div>
                  <div className="text-xs text-slate-600 @4xl:hidden">
                    {a.ouPath || "no OU"} · {a.buckets} bucket{a.buckets === 1 ? "" : "s"}
                  </div>
                  <div className="mt-1 break-all font-mono text-[11px] text-slate-500">{a.roleArn}</div>
                  {a.externalId ? (
                    <div className="mt-0.5 break-all font-mono text-[11px] text-slate-500">
                      ExternalId {a.externalId}
                    </div>
                  ) : null}
                  {a.lastTestAt ? (
                    <p
                      className={`mt-1 max-w-sm text-xs wrap-anywhere ${a.lastTestOk ? "text-emerald-800" : "text-rose-700"}`}
                      title={`tested ${a.lastTestAt.toISOString()}`}
                    >
                      Last test: {a.lastTestMessage}
                    </p>
                  ) : null}
                  {a.lastTestWarning ? (
                    <p
                      className="mt-1 max-w-sm rounded-md bg-amber-50 p-2 text-xs text-amber-950 wrap-anywhere"
                      data-testid="account-warning"
                    >
                      <strong>Warning:</strong> {a.lastTestWarning}
                    </p>
                  ) : null}
                </td>
                <td className="hidden px-4 py-3 text-slate-600 @4xl:table-cell">{a.ouPath || "—"}</td>
                <td className="hidden px-4 py-3 tabular-nums @4xl:table-cell">{a.buckets}</td>
                <td className={`min-w-40 max-w-xs px-4 py-3 ${card} @max-xl:max-w-none @max-xl:py-1.5`}>
                  <SyncStatusBadge status={a.lastSyncStatus} />
                  <div className="mt-1 text-xs text-slate-500">
                    <RelativeTime date={a.lastSyncAt} now={now} />
                  </div>
                  {a.lastSuccessAt && a.lastSyncStatus === "failed" ? (
                    <div className="text-xs text-slate-500">
                      last good data <RelativeTime date={a.lastSuccessAt} now={now} />
                    </div>
                  ) : null}
                  {a.lastError ? <SyncError message={a.lastError} /> : null}
                  {showEvents ? (
                    <div className="mt-1 text-xs text-slate-500" data-testid="last-change-event">
                      {a.lastEventAt ? (
                        <>
                          last change event <RelativeTime date={a.lastEventAt} now={now} />
                        </>
                      ) : (
                        <span title="No bucket-change event has arrived from this account: check that a CloudTrail trail logs its management events and that the member event rule is deployed in its regions.">
                          no change event received yet
                        </span>
                      )}
                    </div>
                  ) : null}
                </td>
                <td className={`px-4 py-3 ${card} @max-xl:py-1.5`}>
                  <span className="mb-1 block text-xs font-semibold uppercase tracking-wide text-slate-500 @xl:hidden">
                    Freshness by region
                  </span>
                  <div className="flex max-w-md flex-wrap gap-1">
                    {a.regions.map((r) => (
                      <Badge
                        key={`${r.region}/${r.collector}`}
                        tone={r.lastError ? "amber" : "gray"}
                        title={r.lastError ?? `last read ${r.lastSuccessAt?.toISOString() ?? "never"}`}
                      >
                        {r.region} · {r.collector}
                      </Badge>
                    ))}
                    {a.regions.length === 0 ? <span className="text-xs text-slate-500">no data yet</span> : null}
                  </div>
                </td>
                {hasActions ? (
                  <td className={`w-0 bg-white px-4 py-3 ${stickyRight} ${card} @max-xl:w-auto @max-xl:py-1.5`}>
                    <AccountActions
                      account={{ id: a.id, name: a.name, roleArn: a.roleArn, externalId: a.externalId }}
                      canSync={canSync}
                      canManage={canManage}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
            {accounts.length === 0 ? (
              <tr className={card}>
                <td colSpan={6} className={`px-4 py-8 text-center text-sm text-slate-500 ${card}`}>
                  No account is linked yet.{canManage ? " Link one below." : ""}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * A sync error can run to several sentences (the fixture's unassumable account explains itself at length): shown
 * clamped to three lines when long; clicking it opens the whole text in place.
 */
function SyncError({ message }: { message: string }) {
  if (message.length <= 160) {
    return (
      <p className="mt-1 text-xs text-rose-700 wrap-anywhere" data-testid="account-error">
        {message}
      </p>
    );
  }
  return (
    <details className="group mt-1 text-xs text-rose-700" data-testid="account-error">
      <summary className="cursor-pointer list-none wrap-anywhere [&::-webkit-details-marker]:hidden">
        <span className="line-clamp-3 group-open:line-clamp-none">{message}</span>
        <span className="font-medium underline group-open:hidden">Show the whole error</span>
        <span className="hidden font-medium underline group-open:inline">Show less</span>
      </summary>
    </details>
  );
}
