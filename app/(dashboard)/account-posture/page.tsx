import type { Metadata } from "next";
import Link from "next/link";
import { ACCOUNT_CONTROL_SHORT, ControlStatusBadge } from "@/components/account-posture/control-status-badge";
import { DataTable, type Column, type ColumnWidth } from "@/components/list-page/data-table";
import { FilterBar, optionsOf, type FilterField } from "@/components/list-page/filter-bar";
import { QueryError } from "@/components/list-page/query-error";
import { PageHeader } from "@/components/ui/page-header";
import { ACCOUNT_CONTROL_CATALOG } from "@/lib/domain/account-controls/catalog";
import { viewState, withQuery } from "@/lib/list-query";
import { listPaging } from "@/lib/pagination";
import { AccountPostureQuerySchema } from "@/lib/schemas/account-posture-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import {
  ACCOUNT_POSTURE_DEFAULT_DIR,
  listAccountPosture,
  type AccountPostureRow,
} from "@/lib/server/dal/account-posture";

export const metadata: Metadata = { title: "Account posture" };

type Search = Record<string, string | string[] | undefined>;

/** The trail and the alerting chain are the questions asked first: they stay as columns longest. */
const SHOW_FROM: Record<string, ColumnWidth> = {
  "trail-multi-region": "xl",
  "bucket-change-alerting": "xl",
  "log-file-validation": "3xl",
  "trail-kms-encryption": "3xl",
};

/** The trail and the alerting chain first (the overview's two questions), then the rest in catalog order. */
const FIRST = ["trail-multi-region", "bucket-change-alerting"];
const COLUMN_ORDER = [
  ...ACCOUNT_CONTROL_CATALOG.filter((c) => FIRST.includes(c.id)).sort(
    (a, b) => FIRST.indexOf(a.id) - FIRST.indexOf(b.id),
  ),
  ...ACCOUNT_CONTROL_CATALOG.filter((c) => !FIRST.includes(c.id)),
];

function filters(ous: string[]): FilterField[] {
  return [
    { kind: "text", name: "q", label: "Account", placeholder: "name or id" },
    {
      kind: "select",
      name: "control",
      label: "Control",
      all: "Any control",
      options: ACCOUNT_CONTROL_CATALOG.map((c) => ({ value: c.id, label: c.title })),
    },
    {
      kind: "select",
      name: "status",
      label: "Status",
      all: "Any status",
      options: [
        { value: "fail", label: "Failing" },
        { value: "unknown", label: "Unknown" },
        { value: "region-not-enabled", label: "Region not enabled" },
        { value: "pass", label: "Passing" },
      ],
    },
    { kind: "select", name: "ou", label: "OU", all: "All OUs", options: optionsOf(ous) },
  ];
}

function columns(): Column<AccountPostureRow>[] {
  return [
    {
      header: "Account",
      sort: "name",
      primary: true,
      className: "min-w-36",
      cell: (a) => (
        <>
          <Link href={`/account-posture/${a.id}`} className="font-medium text-indigo-700 hover:underline">
            {a.name}
          </Link>
          <div className="font-mono text-xs text-slate-500">{a.id}</div>
          {/* The OU rides with the account (filter by it above) so the nine verdicts fit a 1440 px screen. */}
          <div className="text-xs text-slate-600">{a.ouPath || "no OU"}</div>
        </>
      ),
    },
    {
      header: "Failing",
      sort: "failing",
      className: "px-3 py-2.5 whitespace-nowrap",
      cell: (a) => (
        <span data-testid="failing-count">
          <span className={a.failing ? "font-semibold text-rose-700" : "text-slate-500"}>{a.failing}</span>
          {a.unknown ? <span className="ml-1 text-xs text-amber-800">+{a.unknown} unknown</span> : null}
        </span>
      ),
    },
    ...COLUMN_ORDER.map((c): Column<AccountPostureRow> => ({
      header: ACCOUNT_CONTROL_SHORT[c.id] ?? c.title,
      showFrom: SHOW_FROM[c.id] ?? "5xl",
      className: "px-3 py-2.5",
      cell: (a) => (
        <span data-control={c.id}>
          <ControlStatusBadge status={a.results[c.id]?.status} reason={a.results[c.id]?.reason} />
        </span>
      ),
    })),
  ];
}

export default async function AccountPosturePage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("posture:read");
  const parsed = AccountPostureQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Account posture" />
        <QueryError issues={parsed.error.issues} resetHref="/account-posture" resetLabel="Show all accounts" />
      </>
    );
  }
  const query = parsed.data;
  const list = await listAccountPosture(actor, query);
  const state = viewState(query);
  const paging = listPaging({ path: "/account-posture", state, noun: "accounts", ...list });
  return (
    <>
      <PageHeader
        title="Account posture"
        description="Is there an audit trail that cannot be quietly edited, and would anyone be told within minutes if a bucket policy or ACL changed? Every linked account's trail, its log bucket and its bucket-change alerting chain, as the last sync read them. An organisation trail covers its member accounts."
        actions={
          <a
            // The filters shown, not the sort: the CSV lists accounts in id order.
            href={withQuery("/api/account-posture/export", {
              control: query.control,
              status: query.status,
              ou: query.ou,
              q: query.q,
            })}
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            data-testid="account-posture-export"
            download
          >
            Export CSV
          </a>
        }
      />
      <FilterBar
        fields={filters(list.ous)}
        values={state}
        resetHref="/account-posture"
        hidden={{ sort: query.sort, dir: query.dir }}
        count={{ testId: "account-posture-count", total: list.total, summary: paging.summary }}
      />
      <DataTable
        columns={columns()}
        rows={list.rows}
        rowKey={(a) => a.id}
        rowAttributes={(a) => ({ "data-account": a.id })}
        bodyTestId="account-posture-rows"
        empty="No account matches these filters."
        sort={{
          key: query.sort ?? "failing",
          dir: query.dir,
          defaultDir: ACCOUNT_POSTURE_DEFAULT_DIR,
          path: "/account-posture",
          state,
        }}
        paging={paging}
      />
    </>
  );
}
