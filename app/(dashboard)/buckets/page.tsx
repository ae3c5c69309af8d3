import type { Metadata } from "next";
import Link from "next/link";
import { accountFilter, regionFilter } from "@/app/(dashboard)/_components/list-filters";
import { SavedViewsMenu } from "@/app/(dashboard)/_components/saved-views-menu";
import { ExposureBadge } from "@/components/buckets/exposure-badge";
import { LevelBadge } from "@/components/buckets/level-badge";
import { MacieCounts } from "@/components/buckets/macie-counts";
import { CountAllLink } from "@/components/list-page/count-all-link";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { FilterBar, FilterCheckbox, optionsOf, type FilterField } from "@/components/list-page/filter-bar";
import { QueryError } from "@/components/list-page/query-error";
import { RiskScore } from "@/components/risk/risk-score";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { viewState, withQuery } from "@/lib/list-query";
import { listPaging } from "@/lib/pagination";
import {
  BUCKET_SORT_DEFAULT_DIR,
  BucketQuerySchema,
  CONTROL_STATUSES,
  bucketQueryParams,
} from "@/lib/schemas/bucket-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { bucketFilterOptions, listBuckets, type BucketListRow } from "@/lib/server/dal/buckets";
import { can } from "@/lib/server/permissions";

export const metadata: Metadata = { title: "Buckets" };

type Search = Record<string, string | string[] | undefined>;
type FilterOptions = Awaited<ReturnType<typeof bucketFilterOptions>>;

/** The list's filters, in the order the form shows them. */
function bucketFilters(options: FilterOptions): FilterField[] {
  return [
    { kind: "text", name: "q", label: "Search", placeholder: "Bucket name contains…", wide: true },
    accountFilter(options.account),
    regionFilter(options.regions),
    {
      kind: "select",
      name: "level",
      label: "Level",
      all: "All levels",
      options: options.levels.map((l) => ({ value: l.key, label: l.name })),
    },
    {
      kind: "select",
      name: "source",
      label: "Level source",
      all: "Any source",
      options: [
        { value: "tag", label: "Tag" },
        { value: "manual", label: "Set by hand" },
        { value: "cloudtrail", label: "CloudTrail log bucket" },
        { value: "fallback", label: "Unclassified" },
      ],
    },
    {
      kind: "select",
      name: "exposure",
      label: "Exposure",
      all: "Any exposure",
      options: [
        { value: "public", label: "Public" },
        { value: "not-public", label: "Not public" },
        { value: "outside", label: "Reachable from outside the organisation" },
        { value: "unknown", label: "Unknown" },
      ],
    },
    { kind: "select", name: "ou", label: "OU", all: "All OUs", options: optionsOf(options.ous) },
    {
      kind: "select",
      name: "control",
      label: "Control",
      all: "Any control",
      options: CONTROL_CATALOG.map((c) => ({ value: c.id, label: c.title })),
      wide: true,
    },
    {
      kind: "select",
      name: "status",
      label: "Control status",
      all: "Fail (default)",
      options: optionsOf(CONTROL_STATUSES),
    },
    {
      kind: "select",
      name: "macie",
      label: "Macie severity",
      all: "Any",
      options: [
        { value: "low", label: "Low or higher" },
        { value: "medium", label: "Medium or higher" },
        { value: "high", label: "High" },
      ],
    },
    { kind: "text", name: "tag", label: "Tag", placeholder: "Key or Key=Value" },
    { kind: "text", name: "owner", label: "Owner", placeholder: "Owner tag value" },
  ];
}

function bucketColumns({
  levelName,
  mayReadFindings,
  now,
}: {
  levelName: Map<string, string>;
  mayReadFindings: boolean;
  now: Date;
}): Column<BucketListRow>[] {
  return [
    { header: "Risk", sort: "risk", showFrom: "3xl", cell: (b) => <RiskScore score={b.riskScore} /> },
    {
      header: "Bucket",
      sort: "name",
      primary: true,
      className: "max-w-[14rem]",
      cell: (b) => (
        <Link href={`/buckets/${b.id}`} title={b.name} className="row-link">
          {b.name}
        </Link>
      ),
    },
    {
      header: "Account",
      sort: "account",
      showFrom: "4xl",
      className: "whitespace-nowrap",
      cell: (b) => (
        <>
          <div className="text-slate-900">{b.accountName}</div>
          <div className="font-mono text-xs text-slate-500">{b.accountId}</div>
        </>
      ),
    },
    {
      header: "Region",
      sort: "region",
      showFrom: "5xl",
      className: "whitespace-nowrap font-mono text-xs text-slate-700",
      cell: (b) => b.region,
    },
    {
      header: "Classification",
      sort: "level",
      showFrom: "2xl",
      cell: (b) => (
        <LevelBadge levelName={b.levelKey ? (levelName.get(b.levelKey) ?? b.levelKey) : null} source={b.levelSource} />
      ),
    },
    {
      header: "Exposure",
      showFrom: "2xl",
      // Macie's counts may wrap here: a narrow table has no room for them on one line.
      className: "[&_[data-testid=macie-counts]]:whitespace-normal",
      cell: (b) => (
        <>
          <ExposureBadge exposure={b.exposure} />
          {mayReadFindings ? <MacieCounts sensitive={b.macieFindings} policy={b.maciePolicyFindings} /> : null}
        </>
      ),
    },
    {
      header: "Required controls",
      className: "text-xs",
      cell: (b) =>
        b.evaluatedAt === null ? (
          <span className="text-slate-500">not evaluated</span>
        ) : (
          <span className="flex gap-2">
            {b.failingRequired > 0 ? (
              <span className="font-semibold text-rose-700">{b.failingRequired} failing</span>
            ) : null}
            {b.unknownRequired > 0 ? (
              <span className="font-medium text-slate-500">{b.unknownRequired} unknown</span>
            ) : null}
            {b.failingRequired === 0 && b.unknownRequired === 0 ? (
              <span className="font-medium text-emerald-700">all pass</span>
            ) : null}
          </span>
        ),
    },
    {
      header: "Last read",
      sort: "lastSeen",
      showFrom: "5xl",
      className: "whitespace-nowrap text-xs text-slate-500",
      cell: (b) => <RelativeTime date={b.lastReadAt} now={now} />,
    },
  ];
}

export default async function BucketsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("buckets:read");
  const parsed = BucketQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Buckets" />
        <QueryError issues={parsed.error.issues} resetHref="/buckets" resetLabel="Show all buckets" />
      </>
    );
  }
  const query = parsed.data;
  const [list, options] = await Promise.all([
    listBuckets(actor, query),
    bucketFilterOptions(actor, { account: query.account }),
  ]);
  const state = viewState(bucketQueryParams(query));
  const exportState = { ...state, pageSize: undefined };
  const mayExport = can(actor, "buckets:export");
  const controlTitle = new Map(CONTROL_CATALOG.map((c) => [c.id, c.title]));
  // Filters reachable only by links (overview, coverage): shown as removable chips so the view never hides its scope.
  const linkOnly = [
    query.unowned ? { key: "unowned", label: "No owner tag" } : null,
    query.waived ? { key: "waived", label: "Has a waived required control" } : null,
    query.compliant
      ? {
          key: "compliant",
          label: query.compliant === "yes" ? "Meets every required control" : "Does not meet every required control",
        }
      : null,
  ].filter((c) => c !== null);
  const paging = listPaging({
    path: "/buckets",
    state,
    noun: "buckets",
    ...list,
    cursors: { previous: list.prevCursor, next: list.nextCursor },
  });

  return (
    <>
      <PageHeader
        title="Buckets"
        description="Every bucket in every linked account, with its classification, exposure and risk."
        actions={<SavedViewsMenu actor={actor} page="buckets" state={state} />}
      />
      <FilterBar
        fields={bucketFilters(options)}
        values={state}
        resetHref="/buckets"
        hidden={{ observed: query.observed, sort: query.sort, dir: query.dir }}
        count={{
          testId: "bucket-count",
          total: list.total,
          summary: paging.summary,
          // Counted only up to 10,000 (a view the maintained counters cannot count): the exact number on request.
          more: list.totalIsLowerBound ? (
            <CountAllLink href={withQuery("/buckets", { ...state, count: "all" })} />
          ) : null,
        }}
        actions={
          mayExport ? (
            <span className="flex items-center gap-1 text-sm">
              <span className="text-slate-500">Export view:</span>
              <a
                href={withQuery("/api/buckets/export", exportState, { format: "csv" })}
                download
                className="rounded-lg border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-100"
              >
                CSV
              </a>
              <a
                href={withQuery("/api/buckets/export", exportState, { format: "json" })}
                download
                className="rounded-lg border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-100"
              >
                JSON
              </a>
            </span>
          ) : null
        }
      >
        <fieldset className="col-span-full flex flex-wrap items-center gap-x-4 gap-y-1 text-xs font-medium text-slate-600">
          <legend className="sr-only">Only buckets that</legend>
          <FilterCheckbox name="failing" label="Failing a required control" checked={query.failing === true} />
          <FilterCheckbox name="unknown" label="Required control unknown" checked={query.unknown === true} />
          <FilterCheckbox
            name="config"
            value="disagree"
            label="AWS Config disagrees"
            checked={query.config === "disagree"}
          />
          {linkOnly.map((c) => (
            <span
              key={c.key}
              className="inline-flex items-center gap-1 rounded-md bg-indigo-50 px-2 py-0.5 text-indigo-700 ring-1 ring-inset ring-indigo-600/20"
            >
              <input type="hidden" name={c.key} value={state[c.key] ?? ""} />
              {c.label}
              <Link
                href={withQuery("/buckets", state, { [c.key]: undefined })}
                aria-label={`Remove filter: ${c.label}`}
                className="ml-0.5 hover:text-indigo-900"
              >
                ×
              </Link>
            </span>
          ))}
          {query.source === "fallback" ? (
            <span className="text-slate-700" data-testid="view-scope">
              Showing unclassified buckets: nothing classifies them (no level tag, not set by hand), so they are held to
              the scheme&apos;s fallback level.
            </span>
          ) : null}
          {query.control ? (
            <span className="text-slate-500">
              Showing buckets where “{controlTitle.get(query.control)}”{" "}
              {query.observed && !query.status
                ? `is observed as ${query.observed} (before required and waivers apply)`
                : `is ${query.status ?? "fail"}${query.observed ? ` (observed ${query.observed})` : ""}`}
              .
            </span>
          ) : null}
        </fieldset>
      </FilterBar>

      <DataTable
        columns={bucketColumns({
          levelName: new Map(options.levels.map((l) => [l.key, l.name])),
          mayReadFindings: can(actor, "findings:read"),
          now: new Date(),
        })}
        rows={list.rows}
        rowKey={(b) => b.id}
        bodyTestId="bucket-rows"
        empty="No bucket matches these filters."
        sort={{
          key: query.sort ?? "risk",
          dir: query.dir,
          defaultDir: BUCKET_SORT_DEFAULT_DIR,
          path: "/buckets",
          state,
        }}
        paging={paging}
      />
    </>
  );
}
