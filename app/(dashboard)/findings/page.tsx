import type { Metadata } from "next";
import Link from "next/link";
import { AccountFilter } from "@/app/(dashboard)/_components/account-filter";
import { SeverityBadge } from "@/components/buckets/macie-findings";
import { Badge } from "@/components/ui/badge";
import { fieldClass } from "@/components/ui/form-field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, PastEndRow } from "@/components/ui/pagination";
import { QueryError } from "@/components/ui/query-error";
import { RelativeTime } from "@/components/ui/relative-time";
import { FINDING_CATEGORIES, FINDING_SEVERITIES, FindingQuerySchema } from "@/lib/schemas/finding-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { findingFilterOptions, listFindings } from "@/lib/server/dal/findings";
import { pageSpan } from "@/lib/page-span";
import { withQuery } from "@/lib/list-query";

export const metadata: Metadata = { title: "Findings" };

type Search = Record<string, string | string[] | undefined>;

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
  const state: Record<string, string | number | undefined> = {
    ...query,
    page: undefined,
    pageSize: query.pageSize === 50 ? undefined : query.pageSize,
  };
  const now = new Date();
  const span = pageSpan({ total: list.total, page: list.page, pageSize: list.pageSize, noun: "findings" });
  const lastPageHref = withQuery("/findings", state, span.pages <= 1 ? {} : { page: span.pages });

  const select = (
    id: string,
    label: string,
    name: string,
    value: string | undefined,
    all: string,
    values: { value: string; label: string }[],
  ) => (
    <div className="text-xs font-medium text-slate-600">
      <label htmlFor={id} className="block">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={`${fieldClass} mt-1`}>
        <option value="">{all}</option>
        {values.map((v) => (
          <option key={v.value} value={v.value}>
            {v.label}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <>
      <PageHeader
        title="Findings"
        description="Amazon Macie findings across every linked account: sensitive data discovered and policy findings, most severe first."
      />
      <form
        method="get"
        className="mb-4 grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4 xl:grid-cols-7"
        aria-label="Filters"
      >
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-bucket" className="block">
            Bucket name
          </label>
          <input
            id="filter-bucket"
            name="bucket"
            defaultValue={query.bucket ?? ""}
            placeholder="Exact bucket name"
            className={`${fieldClass} mt-1`}
          />
        </div>
        <div className="text-xs font-medium text-slate-600">
          <label htmlFor="filter-account" className="block">
            Account
          </label>
          <AccountFilter name="account" inputId="filter-account" selected={options.account} />
        </div>
        {select(
          "filter-region",
          "Region",
          "region",
          query.region,
          "All regions",
          options.regions.map((r) => ({ value: r, label: r })),
        )}
        {select(
          "filter-severity",
          "Severity",
          "severity",
          query.severity,
          "Any severity",
          FINDING_SEVERITIES.map((s) => ({ value: s, label: s })),
        )}
        {select(
          "filter-type",
          "Type",
          "type",
          query.type,
          "Any type",
          options.types.map((t) => ({ value: t, label: t })),
        )}
        {select(
          "filter-category",
          "Category",
          "category",
          query.category,
          "Any category",
          FINDING_CATEGORIES.map((c) => ({ value: c, label: c === "CLASSIFICATION" ? "Sensitive data" : "Policy" })),
        )}
        {select("filter-archived", "Archived", "archived", query.archived, "Hide archived", [
          { value: "include", label: "Include archived" },
          { value: "only", label: "Only archived" },
        ])}
        <div className="col-span-2 flex items-end gap-2 md:col-span-4 xl:col-span-7">
          <button
            type="submit"
            className="rounded-lg bg-indigo-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500"
          >
            Apply filters
          </button>
          <Link
            href="/findings"
            className="rounded-lg px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100"
          >
            Reset
          </Link>
          <span className="ml-auto text-sm text-slate-500" data-testid="finding-count" data-total={list.total}>
            {span.summary}
          </span>
        </div>
      </form>

      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">Severity</th>
                <th className="px-4 py-3">Finding</th>
                <th className="px-4 py-3">Bucket</th>
                <th className="px-4 py-3">Account · region</th>
                <th className="px-4 py-3">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="finding-rows">
              {list.rows.map((f) => (
                <tr
                  key={f.id}
                  className={`hover:bg-slate-50 ${f.archived ? "text-slate-400" : ""}`}
                  data-severity={f.severity}
                >
                  <td className="px-4 py-2.5">
                    <SeverityBadge severity={f.severity} />
                    {f.archived ? <span className="ml-1 text-xs">archived</span> : null}
                  </td>
                  <td className="px-4 py-2.5">
                    <div className="font-mono text-xs text-slate-800">{f.type}</div>
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
                  </td>
                  <td className="max-w-[16rem] px-4 py-2.5">
                    {f.bucketId !== null ? (
                      <Link
                        href={`/buckets/${f.bucketId}`}
                        className="block truncate font-medium text-indigo-700 hover:underline"
                      >
                        {f.bucketName}
                      </Link>
                    ) : (
                      <span className="block truncate text-slate-700" title="Custody has not read this bucket">
                        {f.bucketName}
                      </span>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">
                    <div className="text-slate-900">{f.accountName ?? "—"}</div>
                    <div className="font-mono text-xs text-slate-500">
                      {f.accountId} · {f.region}
                    </div>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5 text-xs text-slate-500">
                    <RelativeTime date={f.createdAt} now={now} />
                  </td>
                </tr>
              ))}
              {span.pastEnd && list.total > 0 && list.rows.length === 0 ? (
                <PastEndRow colSpan={5} page={list.page} pages={span.pages} lastHref={lastPageHref} />
              ) : list.rows.length === 0 ? (
                <tr>
                  <td colSpan={5} className="px-4 py-12 text-center text-sm text-slate-500">
                    No finding matches these filters.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <Pagination
          page={list.page}
          pages={list.pages}
          previousHref={
            span.pastEnd ? lastPageHref : list.page <= 1 ? null : withQuery("/findings", state, { page: list.page - 1 })
          }
          nextHref={list.page >= list.pages ? null : withQuery("/findings", state, { page: list.page + 1 })}
        />
      </div>
    </>
  );
}
