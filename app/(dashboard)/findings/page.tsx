import type { Metadata } from "next";
import Link from "next/link";
import { accountFilter, regionFilter } from "@/app/(dashboard)/_components/list-filters";
import { SavedViewsMenu } from "@/app/(dashboard)/_components/saved-views-menu";
import { SeverityBadge } from "@/components/buckets/macie-findings";
import { CountAllLink } from "@/components/list-page/count-all-link";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { FilterBar, optionsOf, type FilterField } from "@/components/list-page/filter-bar";
import { QueryError } from "@/components/list-page/query-error";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { viewState, withQuery } from "@/lib/list-query";
import { listPaging } from "@/lib/pagination";
import { FINDING_CATEGORIES, FINDING_SEVERITIES, FindingQuerySchema } from "@/lib/schemas/finding-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { findingFilterOptions, listFindings } from "@/lib/server/dal/findings";

export const metadata: Metadata = { title: "Findings" };

type Search = Record<string, string | string[] | undefined>;
type FindingRow = Awaited<ReturnType<typeof listFindings>>["rows"][number];

function findingFilters(options: Awaited<ReturnType<typeof findingFilterOptions>>): FilterField[] {
  return [
    { kind: "text", name: "bucket", label: "Bucket name", placeholder: "Part of a bucket name" },
    accountFilter(options.account),
    regionFilter(options.regions),
    {
      kind: "select",
      name: "severity",
      label: "Severity",
      all: "Any severity",
      options: optionsOf(FINDING_SEVERITIES),
    },
    { kind: "select", name: "type", label: "Type", all: "Any type", options: optionsOf(options.types) },
    {
      kind: "select",
      name: "category",
      label: "Category",
      all: "Any category",
      options: FINDING_CATEGORIES.map((c) => ({
        value: c,
        label: c === "CLASSIFICATION" ? "Sensitive data" : "Policy",
      })),
    },
    {
      kind: "select",
      name: "archived",
      label: "Archived",
      all: "Hide archived",
      options: [
        { value: "include", label: "Include archived" },
        { value: "only", label: "Only archived" },
      ],
    },
  ];
}

function findingColumns(now: Date): Column<FindingRow>[] {
  return [
    {
      header: "Severity",
      cell: (f) => (
        <>
          <SeverityBadge severity={f.severity} />
          {f.archived ? <span className="ml-1 text-xs">archived</span> : null}
        </>
      ),
    },
    {
      header: "Finding",
      primary: true,
      cell: (f) => (
        <>
          <div className="font-mono text-xs break-all text-slate-800">{f.type}</div>
          <div className="mt-0.5 flex flex-wrap items-center gap-1 text-xs text-slate-500">
            <span>
              {f.category === "CLASSIFICATION" ? "sensitive data" : "policy"}
              {f.count > 1 ? ` · ${f.count}×` : ""}
            </span>
            {f.sensitiveDataCategories.map((c) => (
              <Badge key={c} tone="violet">
                {c.toLowerCase().replaceAll("_", " ")}
              </Badge>
            ))}
          </div>
        </>
      ),
    },
    {
      header: "Bucket",
      showFrom: "2xl",
      className: "max-w-[16rem]",
      cell: (f) =>
        f.bucketId !== null ? (
          <Link href={`/buckets/${f.bucketId}`} className="row-link">
            {f.bucketName}
          </Link>
        ) : (
          <span className="block truncate text-slate-700" title="Custody has not read this bucket">
            {f.bucketName}
          </span>
        ),
    },
    {
      header: "Account · region",
      showFrom: "4xl",
      className: "whitespace-nowrap",
      cell: (f) => (
        <>
          <div className="text-slate-900">{f.accountName ?? "—"}</div>
          <div className="font-mono text-xs text-slate-500">
            {f.accountId} · {f.region}
          </div>
        </>
      ),
    },
    {
      header: "Created",
      showFrom: "3xl",
      className: "whitespace-nowrap text-xs text-slate-500",
      cell: (f) => <RelativeTime date={f.createdAt} now={now} />,
    },
  ];
}

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("findings:read");
  const parsed = FindingQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Findings" />
        <QueryError issues={parsed.error.issues} resetHref="/findings" resetLabel="Show all findings" />
      </>
    );
  }
  const query = parsed.data;
  const [list, options] = await Promise.all([
    listFindings(actor, query),
    findingFilterOptions(actor, { account: query.account }),
  ]);
  const state = viewState(query);
  const paging = listPaging({ path: "/findings", state, noun: "findings", ...list });

  return (
    <>
      <PageHeader
        title="Findings"
        description="Amazon Macie findings across every linked account: sensitive data discovered and policy findings, most severe first."
        actions={<SavedViewsMenu actor={actor} page="findings" state={state} />}
      />
      <FilterBar
        fields={findingFilters(options)}
        values={state}
        resetHref="/findings"
        count={{
          testId: "finding-count",
          total: list.total,
          summary: paging.summary,
          // A bucket-name search counted only up to 10,000: the exact number on request.
          more: list.totalIsLowerBound ? (
            <CountAllLink href={withQuery("/findings", { ...state, count: "all" })} />
          ) : null,
        }}
      />
      <DataTable
        columns={findingColumns(new Date())}
        rows={list.rows}
        rowKey={(f) => f.id}
        rowAttributes={(f) => ({
          className: `hover:bg-slate-50 ${f.archived ? "text-slate-500" : ""}`,
          "data-severity": f.severity,
        })}
        bodyTestId="finding-rows"
        empty="No finding matches these filters."
        paging={paging}
      />
    </>
  );
}
