import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { AuditQuerySchema } from "@/lib/schemas/audit-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { auditActions, listAuditEvents } from "@/lib/server/dal/audit-log";
import { withQuery } from "@/lib/list-query";

export const metadata: Metadata = { title: "Audit log" };

const field = "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm";

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("audit:read");
  const parsed = AuditQuerySchema.safeParse(await searchParams);
  const query = parsed.success
    ? parsed.data
    : { page: 1 as number, action: undefined, actor: undefined, outcome: undefined, from: undefined, to: undefined };
  const pageSize = 50;
  const [{ total, rows }, actions] = await Promise.all([
    listAuditEvents(actor, { ...query, pageSize }),
    auditActions(actor),
  ]);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filter = { action: query.action, actor: query.actor, outcome: query.outcome, from: query.from, to: query.to };
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, classification changes, scheme edits, waivers, exports and syncs. Append-only."
        actions={
          <a
            href={withQuery("/api/audit/export", filter)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
        }
      />
      {!parsed.success ? (
        <p
          role="alert"
          data-testid="query-error"
          className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          {parsed.error.issues.map((i) => i.message).join("; ")} — showing the unfiltered log.
        </p>
      ) : null}
      <form
        method="get"
        className="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-6"
        data-testid="audit-filters"
      >
        <label className="text-xs font-medium text-slate-600">
          Action
          <input
            name="action"
            list="audit-actions"
            defaultValue={query.action ?? ""}
            placeholder="e.g. waiver."
            className={field}
          />
          <datalist id="audit-actions">
            {actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Actor
          <input name="actor" defaultValue={query.actor ?? ""} placeholder="e-mail contains" className={field} />
        </label>
        <label className="text-xs font-medium text-slate-600">
          Outcome
          <select name="outcome" defaultValue={query.outcome ?? ""} className={field}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="denied">denied</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          From (UTC)
          <input type="date" name="from" defaultValue={query.from ?? ""} className={field} />
        </label>
        <label className="text-xs font-medium text-slate-600">
          To (UTC, inclusive)
          <input type="date" name="to" defaultValue={query.to ?? ""} className={field} />
        </label>
        <div className="flex items-end gap-2">
          <button
            type="submit"
            className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Apply filters
          </button>
          <Link href="/audit" className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm">
            Reset
          </Link>
        </div>
      </form>
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-3">When (UTC)</th>
              <th className="px-4 py-3">Who</th>
              <th className="px-4 py-3">Action</th>
              <th className="px-4 py-3">Target</th>
              <th className="px-4 py-3">Outcome</th>
              <th className="px-4 py-3">Details</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="audit-rows">
            {rows.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">
                  {e.at.toISOString().replace("T", " ").slice(0, 19)}
                </td>
                <td className="px-4 py-2 text-slate-800">{e.actorEmail ?? "system"}</td>
                <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-4 py-2 text-xs text-slate-600">
                  {e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}
                </td>
                <td className="px-4 py-2">
                  <Badge tone={e.outcome === "success" ? "green" : e.outcome === "denied" ? "amber" : "red"}>
                    {e.outcome}
                  </Badge>
                </td>
                <td className="max-w-md px-4 py-2 font-mono text-[11px] text-slate-500">
                  <details>
                    <summary className="cursor-pointer truncate">
                      {e.detail ? JSON.stringify(e.detail) : ""}
                      {e.ip ? ` · ${e.ip}` : ""}
                    </summary>
                    <pre className="mt-1 whitespace-pre-wrap break-all">
                      {e.detail ? JSON.stringify(e.detail, null, 2) : ""}
                    </pre>
                  </details>
                </td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-10 text-center text-slate-500">
                  No events match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <nav className="flex items-center justify-between border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm">
          <span className="text-slate-500">
            Page {query.page} of {pages} · {total.toLocaleString("en")} events
          </span>
          <div className="flex gap-2">
            {query.page > 1 ? (
              <Link
                className="rounded-lg border border-slate-300 bg-white px-3 py-1"
                href={withQuery("/audit", { ...filter, page: query.page - 1 })}
              >
                Previous
              </Link>
            ) : null}
            {query.page < pages ? (
              <Link
                className="rounded-lg border border-slate-300 bg-white px-3 py-1"
                href={withQuery("/audit", { ...filter, page: query.page + 1 })}
              >
                Next
              </Link>
            ) : null}
          </div>
        </nav>
      </div>
    </>
  );
}
