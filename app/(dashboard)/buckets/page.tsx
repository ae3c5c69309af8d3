import type { Metadata } from "next";
import Link from "next/link";
import { AccountFilter } from "@/app/(dashboard)/_components/account-filter";
import { ExposureBadge } from "@/components/buckets/exposure-badge";
import { LevelBadge } from "@/components/buckets/level-badge";
import { RiskScore } from "@/components/risk/risk-score";
import { fieldClass } from "@/components/ui/form-field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, PastEndRow } from "@/components/ui/pagination";
import { QueryError } from "@/components/ui/query-error";
import { RelativeTime } from "@/components/ui/relative-time";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import {
  BUCKET_SORT_DEFAULT_DIR,
  BucketQuerySchema,
  CONTROL_STATUSES,
  bucketQueryParams,
  type BucketQuery,
} from "@/lib/schemas/bucket-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { can } from "@/lib/server/permissions";
import { MacieCounts } from "@/components/buckets/macie-counts";
import { bucketFilterOptions, listBuckets } from "@/lib/server/dal/buckets";
import { pageSpan } from "@/lib/page-span";
import { withQuery } from "@/lib/list-query";

export const metadata: Metadata = { title: "Buckets" };

type Search = Record<string, string | string[] | undefined>;

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
  const levelName = new Map(options.levels.map((l) => [l.key, l.name]));
  // Links keep the view (filters, sort, page size) but never a page cursor: a new sort or filter starts at page 1.
  const state: Record<string, string | number | undefined> = {
    ...bucketQueryParams(query),
    page: undefined,
    after: undefined,
    before: undefined,
    pageSize: query.pageSize === 50 ? undefined : query.pageSize,
  };
  const exportState = { ...state, pageSize: undefined };
  const mayExport = can(actor, "buckets:export");
  const mayReadFindings = can(actor, "findings:read");
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
  const now = new Date();
  const span = pageSpan({ total: list.total, page: list.page, pageSize: list.pageSize, noun: "buckets" });
  // The last page by number (OFFSET): reached from a page past the end, where no row gives a cursor.
  const lastPageHref = withQuery("/buckets", state, span.pages <= 1 ? {} : { page: span.pages });

  return (
    <>
      <PageHeader
        title="Buckets"
        description="Every bucket in every linked account, with its classification, exposure and risk."
      />
      <form
        method="get"
        className="mb-4 grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4 xl:grid-cols-7"
        aria-label="Filters"
      >
        <div className="col-span-2 text-xs font-medium text-slate-600">
          <label htmlFor="filter-q" className="block">
            Search
          </label>
          <input
            id="filter-q"
            name="q"
            defaultValue={query.q ?? ""}
            placeholder="Bucket name contains…"
            className={`${fieldClass} mt-1`}
          />
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-account" className="block">
            Account
          </label>
          <AccountFilter name="account" inputId="filter-account" selected={options.account} />
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-region" className="block">
            Region
          </label>
          <select id="filter-region" name="region" defaultValue={query.region ?? ""} className={`${fieldClass} mt-1`}>
            <option value="">All regions</option>
            {options.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-level" className="block">
            Level
          </label>
          <select id="filter-level" name="level" defaultValue={query.level ?? ""} className={`${fieldClass} mt-1`}>
            <option value="">All levels</option>
            {options.levels.map((l) => (
              <option key={l.key} value={l.key}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-source" className="block">
            Level source
          </label>
          <select id="filter-source" name="source" defaultValue={query.source ?? ""} className={`${fieldClass} mt-1`}>
            <option value="">Any source</option>
            <option value="tag">Tag</option>
            <option value="manual">Set by hand</option>
            <option value="fallback">Unclassified</option>
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-exposure" className="block">
            Exposure
          </label>
          <select
            id="filter-exposure"
            name="exposure"
            defaultValue={query.exposure ?? ""}
            className={`${fieldClass} mt-1`}
          >
            <option value="">Any exposure</option>
            <option value="public">Public</option>
            <option value="not-public">Not public</option>
            <option value="unknown">Unknown</option>
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-ou" className="block">
            OU
          </label>
          <select id="filter-ou" name="ou" defaultValue={query.ou ?? ""} className={`${fieldClass} mt-1`}>
            <option value="">All OUs</option>
            {options.ous.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div className="col-span-2 text-xs font-medium text-slate-600">
          <label htmlFor="filter-control" className="block">
            Control
          </label>
          <select
            id="filter-control"
            name="control"
            defaultValue={query.control ?? ""}
            className={`${fieldClass} mt-1`}
          >
            <option value="">Any control</option>
            {CONTROL_CATALOG.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-status" className="block">
            Control status
          </label>
          <select id="filter-status" name="status" defaultValue={query.status ?? ""} className={`${fieldClass} mt-1`}>
            <option value="">Fail (default)</option>
            {CONTROL_STATUSES.map((st) => (
              <option key={st} value={st}>
                {st}
              </option>
            ))}
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-macie" className="block">
            Macie severity
          </label>
          <select id="filter-macie" name="macie" defaultValue={query.macie ?? ""} className={`${fieldClass} mt-1`}>
            <option value="">Any</option>
            <option value="low">Low or higher</option>
            <option value="medium">Medium or higher</option>
            <option value="high">High</option>
          </select>
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-tag" className="block">
            Tag
          </label>
          <input
            id="filter-tag"
            name="tag"
            defaultValue={state.tag ?? ""}
            placeholder="Key or Key=Value"
            className={`${fieldClass} mt-1`}
          />
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-owner" className="block">
            Owner
          </label>
          <input
            id="filter-owner"
            name="owner"
            defaultValue={query.owner ?? ""}
            placeholder="Owner tag value"
            className={`${fieldClass} mt-1`}
          />
        </div>
        <fieldset className="col-span-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs font-medium text-slate-600 md:col-span-4 xl:col-span-7">
          <legend className="sr-only">Only buckets that</legend>
          <FlagBox name="failing" label="Failing a required control" checked={query.failing === true} />
          <FlagBox name="unknown" label="Required control unknown" checked={query.unknown === true} />
          <label className="inline-flex items-center gap-1.5">
            <input
              type="checkbox"
              name="config"
              value="disagree"
              defaultChecked={query.config === "disagree"}
              className="rounded border-slate-300 text-indigo-600"
            />
            AWS Config disagrees
          </label>
          {linkOnly.map((c) => (
            <span
              key={c.key}
              className="inline-flex items-center gap-1 rounded-md bg-indigo-50 px-2 py-0.5 text-indigo-700 ring-1 ring-inset ring-indigo-600/20"
            >
              <input type="hidden" name={c.key} value={state[c.key]} />
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
        {query.observed ? <input type="hidden" name="observed" value={query.observed} /> : null}
        {query.sort ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <div className="col-span-2 flex items-end gap-2 md:col-span-4 xl:col-span-7">
          <button
            type="submit"
            className="rounded-lg bg-indigo-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Apply filters
          </button>
          <Link
            href="/buckets"
            className="rounded-lg px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100"
          >
            Reset
          </Link>
          <span className="ml-auto text-sm text-slate-500" data-testid="bucket-count" data-total={list.total}>
            {span.summary}
          </span>
          {mayExport ? (
            <span className="flex items-center gap-1 text-sm">
              <span className="text-slate-400">Export view:</span>
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
          ) : null}
        </div>
      </form>

      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <SortHeader label="Risk" sort="risk" query={query} state={state} />
                <SortHeader label="Bucket" sort="name" query={query} state={state} />
                <SortHeader label="Account" sort="account" query={query} state={state} />
                <SortHeader label="Region" sort="region" query={query} state={state} />
                <SortHeader label="Classification" sort="level" query={query} state={state} />
                <th className="px-4 py-3">Exposure</th>
                <th className="px-4 py-3">Required controls</th>
                <SortHeader label="Last read" sort="lastSeen" query={query} state={state} />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="bucket-rows">
              {list.rows.map((b) => (
                <tr key={b.id} className="hover:bg-slate-50">
                  <td className="px-4 py-2.5">
                    <RiskScore score={b.riskScore} />
                  </td>
                  <td className="max-w-[14rem] px-4 py-2.5">
                    <Link
                      href={`/buckets/${b.id}`}
                      title={b.name}
                      className="block truncate font-medium text-indigo-700 hover:underline"
                    >
                      {b.name}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <div className="text-slate-900">{b.accountName}</div>
                    <div className="font-mono text-xs text-slate-500">{b.accountId}</div>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 font-mono text-xs text-slate-700">{b.region}</td>
                  <td className="px-4 py-2.5">
                    <LevelBadge
                      levelName={b.levelKey ? (levelName.get(b.levelKey) ?? b.levelKey) : null}
                      source={b.levelSource}
                    />
                  </td>
                  <td className="px-4 py-2.5">
                    <ExposureBadge exposure={b.exposure} />
                    {mayReadFindings ? (
                      <MacieCounts sensitive={b.macieFindings} policy={b.maciePolicyFindings} />
                    ) : null}
                  </td>
                  <td className="px-4 py-2.5 text-xs">
                    {b.evaluatedAt === null ? (
                      <span className="text-slate-400">not evaluated</span>
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
                    )}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 text-xs text-slate-500">
                    <RelativeTime date={b.lastReadAt} now={now} />
                  </td>
                </tr>
              ))}
              {span.pastEnd && list.total > 0 && list.rows.length === 0 ? (
                <PastEndRow colSpan={8} page={list.page} pages={span.pages} lastHref={lastPageHref} />
              ) : list.rows.length === 0 ? (
                <tr>
                  <td colSpan={8} className="px-4 py-12 text-center text-sm text-slate-500">
                    No bucket matches these filters.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {/* Keyset links (the row to continue from), so a page deep in 100,000 buckets costs what page 1 does. */}
        <Pagination
          page={list.page}
          pages={list.pages}
          previousHref={
            span.pastEnd
              ? lastPageHref
              : list.page <= 1
                ? null
                : withQuery(
                    "/buckets",
                    state,
                    list.page - 1 <= 1 ? {} : { page: list.page - 1, before: list.prevCursor },
                  )
          }
          nextHref={
            list.page >= list.pages || list.rows.length < list.pageSize
              ? null
              : withQuery("/buckets", state, { page: list.page + 1, after: list.nextCursor })
          }
        />
      </div>
    </>
  );
}

function SortHeader({
  label,
  sort,
  query,
  state,
}: {
  label: string;
  sort: NonNullable<BucketQuery["sort"]>;
  query: BucketQuery;
  state: Record<string, string | number | undefined>;
}) {
  const active = (query.sort ?? "risk") === sort;
  const defaultDir = BUCKET_SORT_DEFAULT_DIR[sort];
  const currentDir = query.dir ?? defaultDir;
  const nextDir = active ? (currentDir === "asc" ? "desc" : "asc") : defaultDir;
  return (
    <th className="px-4 py-3" aria-sort={active ? (currentDir === "asc" ? "ascending" : "descending") : undefined}>
      <Link
        href={withQuery("/buckets", state, { sort, dir: nextDir })}
        className={`inline-flex items-center gap-1 hover:text-slate-800 ${active ? "text-slate-900" : ""}`}
      >
        {label}
        {active ? <span aria-hidden="true">{currentDir === "asc" ? "▲" : "▼"}</span> : null}
      </Link>
    </th>
  );
}

function FlagBox({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <label className="inline-flex items-center gap-1.5">
      <input
        type="checkbox"
        name={name}
        value="1"
        defaultChecked={checked}
        className="rounded border-slate-300 text-indigo-600"
      />
      {label}
    </label>
  );
}
