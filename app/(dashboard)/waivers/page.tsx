import type { Metadata } from "next";
import Link from "next/link";
import { DecideWaiverForm, ProposeWaiverForm } from "@/components/governance/waiver-forms";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { MAX_WAIVER_DAYS, WAIVER_STATUSES, WaiverQuerySchema } from "@/lib/schemas/waiver";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { listWaivers } from "@/lib/server/dal/waivers";
import { can } from "@/lib/server/permissions";
import { withQuery } from "@/lib/list-query";
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

export default async function WaiversPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("waivers:read");
  const params = await searchParams;
  const parsed = WaiverQuerySchema.safeParse(params);
  const query = parsed.success ? parsed.data : { page: 1 };
  const { rows, total, pages, counts } = await listWaivers(actor, query);
  const now = new Date();
  const canPropose = can(actor, "waivers:propose");
  const canDecide = can(actor, "waivers:decide");
  const prefillBucket = typeof params.propose === "string" ? params.propose : "";
  const prefillControl = typeof params.control === "string" ? params.control : "";
  const titles = new Map(CONTROL_CATALOG.map((c) => [c.id as string, c.title]));
  const state = { status: query.status, bucket: query.bucket, control: query.control };

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
      {!parsed.success ? (
        <p
          role="alert"
          data-testid="query-error"
          className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          {parsed.error.issues.map((i) => i.message).join("; ")} — showing all waivers.
        </p>
      ) : null}
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

        <nav className="flex flex-wrap gap-2 text-sm" aria-label="Waiver status">
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
              {s} <span className="opacity-70">{counts[s] ?? 0}</span>
            </Link>
          ))}
        </nav>

        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">Bucket · control</th>
                <th className="px-4 py-3">Status</th>
                <th className="px-4 py-3">Reason · owner</th>
                <th className="px-4 py-3">Expires</th>
                <th className="px-4 py-3">Proposed · decided</th>
                {canDecide ? <th className="px-4 py-3">Decision</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="waiver-rows">
              {rows.map((w) => (
                <tr
                  key={w.id}
                  className="align-top"
                  data-waiver={w.id}
                  data-status={w.status}
                  data-bucket={w.bucketName}
                  data-control={w.controlId}
                >
                  <td className="px-4 py-3">
                    <Link href={`/buckets/${w.bucketId}`} className="font-mono text-indigo-700 hover:underline">
                      {w.bucketName}
                    </Link>
                    <div className="text-xs text-slate-500">{titles.get(w.controlId) ?? w.controlId}</div>
                  </td>
                  <td className="px-4 py-3">
                    <Badge tone={TONE[w.status] ?? "gray"}>{w.status}</Badge>
                  </td>
                  <td className="max-w-sm px-4 py-3 text-xs text-slate-600">
                    {w.reason}
                    <div className="mt-1 text-slate-500">owner: {w.owner}</div>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 font-mono text-xs text-slate-600">{day(w.expiresAt)}</td>
                  <td className="px-4 py-3 text-xs text-slate-600">
                    {w.proposedBy} · {day(w.proposedAt)}
                    {w.decidedBy ? (
                      <div>
                        {w.decidedBy} · {w.decidedAt ? day(w.decidedAt) : ""}
                      </div>
                    ) : null}
                    {w.decisionNote ? <div className="italic text-slate-500">“{w.decisionNote}”</div> : null}
                  </td>
                  {canDecide ? (
                    <td className="w-56 px-4 py-3">
                      {w.status === "proposed" && w.proposedById !== actor.id ? (
                        <DecideWaiverForm
                          action={decideWaiverAction}
                          waiverId={w.id}
                          decisions={["approve", "reject"]}
                        />
                      ) : null}
                      {w.status === "proposed" && w.proposedById === actor.id ? (
                        <span className="text-xs text-slate-500">your proposal: another admin decides</span>
                      ) : null}
                      {w.status === "approved" ? (
                        <DecideWaiverForm action={decideWaiverAction} waiverId={w.id} decisions={["revoke"]} />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-4 py-10 text-center text-slate-500">
                    No waivers{query.status ? ` with status ${query.status}` : ""}.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          <nav className="flex items-center justify-between border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm">
            <span className="text-slate-500">
              Page {query.page} of {pages} · {total.toLocaleString("en")} waivers
            </span>
            <div className="flex gap-2">
              {query.page > 1 ? (
                <Link
                  className="rounded-lg border border-slate-300 bg-white px-3 py-1"
                  href={withQuery("/waivers", { ...state, page: query.page - 1 })}
                >
                  Previous
                </Link>
              ) : null}
              {query.page < pages ? (
                <Link
                  className="rounded-lg border border-slate-300 bg-white px-3 py-1"
                  href={withQuery("/waivers", { ...state, page: query.page + 1 })}
                >
                  Next
                </Link>
              ) : null}
            </div>
          </nav>
        </div>
      </div>
    </>
  );
}
