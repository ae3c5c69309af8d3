import type { Metadata } from "next";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { FilterBar, type FilterField } from "@/components/list-page/filter-bar";
import { QueryFallbackNotice } from "@/components/list-page/query-error";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { queryOrDefaults, viewState, withQuery } from "@/lib/list-query";
import { listPaging } from "@/lib/pagination";
import { AuditQuerySchema } from "@/lib/schemas/audit-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { auditActions, listAuditEvents } from "@/lib/server/dal/audit-log";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>["rows"][number];

function auditFilters(actions: string[]): FilterField[] {
  return [
    { kind: "text", name: "action", label: "Action", placeholder: "e.g. waiver.", suggestions: actions },
    { kind: "text", name: "actor", label: "Actor", placeholder: "e-mail contains" },
    {
      kind: "select",
      name: "outcome",
      label: "Outcome",
      all: "any",
      options: [
        { value: "success", label: "success" },
        { value: "failure", label: "failure" },
        { value: "denied", label: "denied" },
      ],
    },
    { kind: "text", name: "from", label: "From (UTC)", type: "date" },
    { kind: "text", name: "to", label: "To (UTC, inclusive)", type: "date" },
  ];
}

const AUDIT_COLUMNS: Column<AuditRow>[] = [
  {
    header: "When (UTC)",
    className: "whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600",
    cell: (e) => e.at.toISOString().replace("T", " ").slice(0, 19),
  },
  { header: "Who", className: "px-4 py-2 text-slate-800", cell: (e) => e.actorEmail ?? "system" },
  { header: "Action", className: "px-4 py-2 font-mono text-xs", cell: (e) => e.action },
  {
    header: "Target",
    className: "px-4 py-2 text-xs text-slate-600",
    cell: (e) => (e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"),
  },
  {
    header: "Outcome",
    className: "px-4 py-2",
    cell: (e) => (
      <Badge tone={e.outcome === "success" ? "green" : e.outcome === "denied" ? "amber" : "red"}>{e.outcome}</Badge>
    ),
  },
  {
    header: "Details",
    className: "max-w-md px-4 py-2 font-mono text-[11px] text-slate-500",
    cell: (e) => (
      <details>
        <summary className="cursor-pointer truncate">
          {e.detail ? JSON.stringify(e.detail) : ""}
          {e.ip ? ` · ${e.ip}` : ""}
        </summary>
        <pre className="mt-1 whitespace-pre-wrap break-all">{e.detail ? JSON.stringify(e.detail, null, 2) : ""}</pre>
      </details>
    ),
  },
];

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("audit:read");
  const { query, issues } = queryOrDefaults(AuditQuerySchema, await searchParams);
  const [{ total, rows }, actions] = await Promise.all([
    listAuditEvents(actor, { ...query, pageSize: PAGE_SIZE }),
    auditActions(actor),
  ]);
  const state = viewState(query);
  const paging = listPaging({
    path: "/audit",
    state,
    noun: "events",
    page: query.page,
    pageSize: PAGE_SIZE,
    total,
    rows,
  });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, classification changes, scheme edits, waivers, exports and syncs. Append-only."
        actions={
          <a
            href={withQuery("/api/audit/export", state)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
        }
      />
      {issues ? <QueryFallbackNotice issues={issues} showing="the unfiltered log" /> : null}
      <FilterBar
        testId="audit-filters"
        fields={auditFilters(actions)}
        values={state}
        resetHref="/audit"
        count={{ testId: "audit-count", total, summary: paging.summary }}
      />
      <DataTable
        columns={AUDIT_COLUMNS}
        rows={rows}
        rowKey={(e) => e.id}
        rowAttributes={(e) => ({ "data-action": e.action })}
        bodyTestId="audit-rows"
        empty="No events match."
        paging={paging}
      />
    </>
  );
}
