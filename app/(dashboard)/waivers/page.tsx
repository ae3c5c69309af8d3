import type { Metadata } from "next";
import Link from "next/link";
import { DecideWaiverForm, ProposeWaiverForm } from "@/components/governance/waiver-forms";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { QueryFallbackNotice } from "@/components/list-page/query-error";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { queryOrDefaults, viewState, withQuery } from "@/lib/list-query";
import { listPaging } from "@/lib/pagination";
import { MAX_WAIVER_DAYS, WAIVER_STATUSES, WaiverQuerySchema } from "@/lib/schemas/waiver";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { listWaivers } from "@/lib/server/dal/waivers";
import { can, type Actor } from "@/lib/server/permissions";
import { decideWaiverAction, proposeWaiverAction } from "./actions";

export const metadata: Metadata = { title: "Waivers" };

const TONE: Record<string, BadgeTone> = {
  proposed: "amber",
  approved: "violet",
  rejected: "gray",
  revoked: "gray",
  expired: "gray",
};
const day = (d: Date) => d.toISOString().slice(0, 10);

type WaiverRow = Awaited<ReturnType<typeof listWaivers>>["rows"][number];

function waiverColumns(actor: Actor, canDecide: boolean): Column<WaiverRow>[] {
  const titles = new Map(CONTROL_CATALOG.map((c) => [c.id as string, c.title]));
  const columns: Column<WaiverRow>[] = [
    {
      header: "Bucket · control",
      primary: true,
      className: "px-4 py-3",
      cell: (w) => (
        <>
          <Link href={`/buckets/${w.bucketId}`} className="font-mono text-indigo-700 hover:underline">
            {w.bucketName}
          </Link>
          <div className="text-xs text-slate-500">{titles.get(w.controlId) ?? w.controlId}</div>
        </>
      ),
    },
    {
      header: "Status",
      showFrom: "xl",
      className: "px-4 py-3",
      cell: (w) => <Badge tone={TONE[w.status] ?? "gray"}>{w.status}</Badge>,
    },
    {
      header: "Reason · owner",
      showFrom: "3xl",
      className: "max-w-sm px-4 py-3 text-xs text-slate-600",
      cell: (w) => (
        <>
          {w.reason}
          <div className="mt-1 text-slate-500">owner: {w.owner}</div>
        </>
      ),
    },
    {
      header: "Expires",
      showFrom: "2xl",
      className: "whitespace-nowrap px-4 py-3 font-mono text-xs text-slate-600",
      cell: (w) => day(w.expiresAt),
    },
    {
      header: "Proposed · decided",
      showFrom: "4xl",
      className: "px-4 py-3 text-xs text-slate-600",
      cell: (w) => (
        <>
          {w.proposedBy} · {day(w.proposedAt)}
          {w.decidedBy ? (
            <div>
              {w.decidedBy} · {w.decidedAt ? day(w.decidedAt) : ""}
            </div>
          ) : null}
          {w.decisionNote ? <div className="italic text-slate-500">“{w.decisionNote}”</div> : null}
        </>
      ),
    },
  ];
  if (!canDecide) return columns;
  return [
    ...columns,
    {
      header: "Decision",
      // Narrower, the decision takes a line of its own across the row: its buttons never sit in a clipped box.
      showFrom: "2xl",
      className: "w-56 px-4 py-3",
      cell: (w) => (
        <>
          {w.status === "proposed" && w.proposedById !== actor.id ? (
            <DecideWaiverForm action={decideWaiverAction} waiverId={w.id} decisions={["approve", "reject"]} />
          ) : null}
          {w.status === "proposed" && w.proposedById === actor.id ? (
            <span className="text-xs text-slate-500">your proposal: another admin decides</span>
          ) : null}
          {w.status === "approved" ? (
            <DecideWaiverForm action={decideWaiverAction} waiverId={w.id} decisions={["revoke"]} />
          ) : null}
        </>
      ),
    },
  ];
}

export default async function WaiversPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("waivers:read");
  const params = await searchParams;
  const { query, issues } = queryOrDefaults(WaiverQuerySchema, params);
  const list = await listWaivers(actor, query);
  const now = new Date();
  const canPropose = can(actor, "waivers:propose");
  const prefillBucket = typeof params.propose === "string" ? params.propose : "";
  const prefillControl = typeof params.control === "string" ? params.control : "";
  const state = viewState(query);
  const paging = listPaging({ path: "/waivers", state, noun: "waivers", ...list });

  return (
    <>
      <PageHeader
        title="Waivers"
        description="Time-limited exceptions for a failing required control on one bucket. Proposed by a security lead, approved by another admin; an approved waiver shows the control as waived until it expires."
        actions={
          <a
            href={withQuery("/api/waivers/export", state)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
        }
      />
      {issues ? <QueryFallbackNotice issues={issues} showing="all waivers" /> : null}
      <div className="space-y-6">
        {canPropose ? (
          <Card
            title="Propose a waiver"
            description={`Only a failing required control can be waived. Expiry at most ${MAX_WAIVER_DAYS} days ahead.`}
          >
            <ProposeWaiverForm
              key={`${prefillBucket}/${prefillControl}`}
              action={proposeWaiverAction}
              bucket={prefillBucket}
              controlId={prefillControl || CONTROL_CATALOG[0]!.id}
              controls={CONTROL_CATALOG.map((c) => ({ id: c.id, title: c.title }))}
              minDate={day(new Date(now.getTime() + 86_400_000))}
              maxDate={day(new Date(now.getTime() + (MAX_WAIVER_DAYS - 1) * 86_400_000))}
              defaultDate={day(new Date(now.getTime() + 90 * 86_400_000))}
            />
          </Card>
        ) : null}

        <div className="flex flex-wrap items-center gap-2 text-sm">
          <nav className="flex flex-wrap gap-2" aria-label="Waiver status">
            <Link
              href={withQuery("/waivers", { ...state, status: undefined })}
              className={`rounded-lg px-3 py-1 ${!query.status ? "bg-indigo-600 text-white" : "border border-slate-300 bg-white"}`}
            >
              All
            </Link>
            {WAIVER_STATUSES.map((s) => (
              <Link
                key={s}
                href={withQuery("/waivers", { ...state, status: s })}
                className={`rounded-lg px-3 py-1 capitalize ${query.status === s ? "bg-indigo-600 text-white" : "border border-slate-300 bg-white"}`}
              >
                {s} <span className="opacity-70">{list.counts[s] ?? 0}</span>
              </Link>
            ))}
          </nav>
          <span className="ml-auto text-slate-500" data-testid="waiver-count" data-total={list.total}>
            {paging.summary}
          </span>
        </div>

        <DataTable
          columns={waiverColumns(actor, can(actor, "waivers:decide"))}
          rows={list.rows}
          rowKey={(w) => w.id}
          rowAttributes={(w) => ({
            className: "align-top",
            "data-waiver": w.id,
            "data-status": w.status,
            "data-bucket": w.bucketName,
            "data-control": w.controlId,
          })}
          bodyTestId="waiver-rows"
          empty={`No waivers${query.status ? ` with status ${query.status}` : ""}.`}
          paging={paging}
        />
      </div>
    </>
  );
}
