import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { listAuditEvents } from "@/lib/server/dal/audit-log";

export const metadata: Metadata = { title: "Audit log" };

const Query = z.object({
  page: z.preprocess((v) => (Array.isArray(v) ? v[0] : v || undefined), z.coerce.number().int().min(1).max(100_000).default(1)),
  action: z.preprocess((v) => (Array.isArray(v) ? v[0] : v || undefined), z.string().regex(/^[a-z.-]{1,60}$/).optional()),
});

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("audit:read");
  const parsed = Query.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : { page: 1, action: undefined };
  const pageSize = 50;
  const { total, rows } = await listAuditEvents(actor, { ...query, pageSize });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <PageHeader title="Audit log" description="Sign-ins, classification changes, scheme edits, waivers, exports and syncs. Append-only." />
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
              <tr key={e.id}>
                <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="px-4 py-2 text-slate-800">{e.actorEmail ?? "system"}</td>
                <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-4 py-2 text-xs text-slate-600">{e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}</td>
                <td className="px-4 py-2">
                  <Badge tone={e.outcome === "success" ? "green" : e.outcome === "denied" ? "amber" : "red"}>{e.outcome}</Badge>
                </td>
                <td className="max-w-xs truncate px-4 py-2 font-mono text-[11px] text-slate-500">{e.detail ? JSON.stringify(e.detail) : ""}{e.ip ? ` · ${e.ip}` : ""}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-10 text-center text-slate-500">No events yet.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <nav className="flex items-center justify-between border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm">
          <span className="text-slate-500">
            Page {query.page} of {pages} · {total.toLocaleString("en")} events
          </span>
          <div className="flex gap-2">
            {query.page > 1 ? <Link className="rounded-lg border border-slate-300 bg-white px-3 py-1" href={`/audit?page=${query.page - 1}`}>Previous</Link> : null}
            {query.page < pages ? <Link className="rounded-lg border border-slate-300 bg-white px-3 py-1" href={`/audit?page=${query.page + 1}`}>Next</Link> : null}
          </div>
        </nav>
      </div>
    </>
  );
}
