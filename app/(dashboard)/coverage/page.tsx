import type { Metadata } from "next";
import Link from "next/link";
import { CoverageTrendChart, type TrendSeries } from "@/components/coverage/coverage-trend-chart";
import { PercentBar } from "@/components/coverage/percent-bar";
import { PastEndRow } from "@/components/list-page/empty-state";
import { Pagination } from "@/components/list-page/pagination";
import { QueryError } from "@/components/list-page/query-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { withQuery } from "@/lib/list-query";
import { bucketQueryParams, type BucketFilters } from "@/lib/schemas/bucket-query";
import { COVERAGE_GROUPINGS, COVERAGE_GROUPS_PER_PAGE, CoverageQuerySchema } from "@/lib/schemas/coverage-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import {
  countThirdPartiesInScope,
  getAccountPostureCoverage,
  getCoverage,
  getCoverageTrend,
  type AccountControlCoverage,
  type LevelClassification,
} from "@/lib/server/dal/coverage";
import { can } from "@/lib/server/permissions";

export const metadata: Metadata = { title: "Coverage" };

type Search = Record<string, string | string[] | undefined>;

// Theme tokens, so the lines switch with light/dark (globals.css gives each a light and a dark value).
const LEVEL_COLORS = ["rose-600", "amber-600", "sky-600", "violet-600", "emerald-600", "slate-500"].map(
  (c) => `var(--color-${c})`,
);
const GROUPING_LABEL = { account: "By account", ou: "By OU", owner: "By owner" } as const;

const bucketsHref = (view: BucketFilters) => withQuery("/buckets", bucketQueryParams(view));
/** The Account posture page for a scope: one account's own page, or the table filtered (an OU: with those below). */
const postureHref = (scope: { account?: string; ou?: string }, filter: { control?: string; status?: string } = {}) =>
  scope.account && !filter.control && !filter.status
    ? `/account-posture/${scope.account}`
    : withQuery("/account-posture", { ou: scope.ou || undefined, q: scope.account, ...filter });

function CountLink({ view, count, testId }: { view: BucketFilters | null; count: number; testId?: string }) {
  if (count === 0 || view === null)
    return (
      <span className={count === 0 ? "text-slate-500" : ""} data-testid={testId} data-count={count}>
        {count}
      </span>
    );
  return (
    <Link
      href={bucketsHref(view)}
      className="font-medium text-indigo-700 hover:underline"
      data-testid={testId}
      data-count={count}
    >
      {count.toLocaleString("en")}
    </Link>
  );
}

export default async function CoveragePage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("coverage:read");
  const parsed = CoverageQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Coverage" />
        <QueryError issues={parsed.error.issues} resetHref="/coverage" resetLabel="Show the whole organisation" />
      </>
    );
  }
  const query = parsed.data;
  const seesPosture = can(actor, "posture:read");
  const seesThirdParties = can(actor, "third-parties:read");
  const coveragePage = getCoverage(actor, query);
  const [coverage, trend, posture, thirdParties] = await Promise.all([
    coveragePage,
    getCoverageTrend(actor, query),
    seesPosture
      ? // By account, account posture for the accounts of this page of groups only (not all 10,000).
        coveragePage.then((c) =>
          getAccountPostureCoverage(actor, query, {
            shownAccounts: query.by === "account" ? c.groups.flatMap((g) => (g.key ? [g.key] : [])) : undefined,
          }),
        )
      : Promise.resolve(null),
    seesThirdParties ? countThirdPartiesInScope(actor, query) : Promise.resolve(null),
  ]);
  const postureColumn = posture !== null && query.by !== "owner";
  const scopeState = { account: query.account, ou: query.ou, owner: query.owner };
  // One page of groups, largest first; the totals above always count every group.
  const shownGroups = coverage.groups;
  const firstShown = (coverage.page - 1) * COVERAGE_GROUPS_PER_PAGE + 1;
  const groupPageHref = (page: number) =>
    withQuery("/coverage", {
      ...scopeState,
      by: query.by,
      days: query.days === 90 ? undefined : query.days,
      page: page === 1 ? undefined : page,
    });
  const scopeLabel = query.account
    ? `account ${coverage.groups.find((g) => g.key === query.account)?.label ?? query.account} (${query.account})`
    : query.ou
      ? `OU ${query.ou}`
      : query.owner
        ? `owner ${query.owner}`
        : null;
  const levelSeries = (measure: "classified" | "compliant"): TrendSeries[] => [
    { key: `${measure}:*`, label: "All levels", color: "var(--color-indigo-600)", emphasis: true },
    ...coverage.levels.map((l, i) => ({
      key: `${measure}:${l.key}`,
      label: l.name,
      color: LEVEL_COLORS[i % LEVEL_COLORS.length]!,
    })),
  ];
  const t = coverage.total;
  // Rows of another grouping can be opened as a scope (trend for that account / OU / owner).
  const scopeHref = (key: string | null) =>
    key === null || key === ""
      ? null
      : withQuery("/coverage", { by: query.by === "account" ? "owner" : "account", [query.by]: key });

  return (
    <>
      <PageHeader
        title="Coverage"
        description={
          scopeLabel ? (
            <span>
              Classification coverage for{" "}
              <span className="font-medium text-slate-700" data-testid="coverage-scope">
                {scopeLabel}
              </span>{" "}
              ·{" "}
              <Link href={withQuery("/coverage", { by: query.by })} className="text-indigo-700 hover:underline">
                whole organisation
              </Link>
            </span>
          ) : (
            "How many buckets carry a classification, and how many meet everything their level requires."
          )
        }
      />

      {coverage.incomplete.length > 0 ? (
        <div
          role="status"
          className="mb-4 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950"
          data-testid="coverage-incomplete"
        >
          <p className="font-medium">
            Not complete: the latest sync of {coverage.incomplete.length} account
            {coverage.incomplete.length === 1 ? "" : "s"} in this scope did not finish. Their buckets are counted as
            last read, or not at all if never read.
          </p>
          <ul className="mt-1 space-y-0.5 text-xs">
            {coverage.incomplete.map((a) => (
              <li key={a.id}>
                <span className="font-medium">{a.name}</span> (<span className="font-mono">{a.id}</span>) —{" "}
                {a.status === "never" ? "never synced" : `sync ${a.status}`}
                {a.error ? `: ${a.error}` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5">
        <SummaryTile
          label="Buckets"
          value={t.buckets.toLocaleString("en")}
          href={bucketsHref(coverage.scope)}
          testId="summary-buckets"
        />
        <SummaryTile
          label="Classified"
          value={t.buckets ? `${Math.round((100 * t.classified) / t.buckets)}%` : "—"}
          sub={`${t.classified} of ${t.buckets}`}
          href={bucketsHref({ ...coverage.scope, source: "fallback" })}
          subLink={
            t.buckets > t.classified
              ? `Show the ${(t.buckets - t.classified).toLocaleString("en")} unclassified ${t.buckets - t.classified === 1 ? "bucket" : "buckets"}`
              : null
          }
          testId="summary-classified"
        />
        <SummaryTile
          label="Meet their level"
          value={t.buckets ? `${Math.round((100 * t.compliant) / t.buckets)}%` : "—"}
          sub={`${t.compliant} of ${t.buckets}`}
          href={bucketsHref({ ...coverage.scope, compliant: "no" })}
          subLink="show the others"
          testId="summary-compliant"
        />
        <SummaryTile
          label="With a waiver"
          value={t.waived.toLocaleString("en")}
          sub="a required control waived"
          href={bucketsHref({ ...coverage.scope, waived: true })}
          testId="summary-waived"
        />
        <SummaryTile
          label="Reachable from outside"
          value={t.reachable.toLocaleString("en")}
          sub="buckets an outsider can read or write"
          href={bucketsHref({ ...coverage.scope, exposure: "outside" })}
          subLink={t.reachable > 0 ? "show" : null}
          testId="summary-reachable"
        />
      </div>

      <LevelClassificationCard levels={coverage.byLevel} scope={coverage.scope} />

      {posture || thirdParties !== null ? (
        <AccountPostureCard
          posture={posture}
          scope={{ account: query.account, ou: query.ou }}
          ownerScope={!!query.owner}
          reachable={t.reachable}
          reachableHref={bucketsHref({ ...coverage.scope, exposure: "outside" })}
          thirdParties={thirdParties}
          thirdPartiesHref={withQuery("/third-parties", scopeState)}
        />
      ) : null}

      <div className="mb-6 grid gap-6 xl:grid-cols-2">
        <Card
          title="Classified, last 90 days"
          description="Share of all buckets classified by hand or by their tag. Not split by level: below the fallback level every bucket is classified by definition."
        >
          <CoverageTrendChart
            testId="trend-classified"
            title="Share of buckets classified"
            points={trend.points}
            series={levelSeries("classified").slice(0, 1)}
          />
        </Card>
        <Card
          title="Meeting their level, last 90 days"
          description="Share of buckets passing every control their level requires (unknown is not a pass)."
        >
          <CoverageTrendChart
            testId="trend-compliant"
            title="Share of buckets meeting their level"
            points={trend.points}
            series={levelSeries("compliant")}
          />
        </Card>
      </div>

      <Card
        title={GROUPING_LABEL[query.by]}
        description="Numbers open the bucket list behind them; names open that scope's coverage and trend."
        actions={
          <nav
            className="flex rounded-lg border border-slate-200 bg-slate-50 p-0.5 text-xs font-medium"
            aria-label="Group by"
          >
            {COVERAGE_GROUPINGS.map((by) => (
              <Link
                key={by}
                href={withQuery("/coverage", { ...scopeState, by })}
                aria-current={query.by === by ? "page" : undefined}
                className={`rounded-md px-2.5 py-1 ${query.by === by ? "bg-white text-slate-900 shadow-sm" : "text-slate-500 hover:text-slate-800"}`}
              >
                {GROUPING_LABEL[by]}
              </Link>
            ))}
          </nav>
        }
      >
        <div className="-mx-5 -my-4 overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="coverage-groups">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-5 py-2.5">
                  {query.by === "account" ? "Account" : query.by === "ou" ? "Organizational unit" : "Owner"}
                </th>
                <th className="px-3 py-2.5 text-right">Buckets</th>
                <th className="px-3 py-2.5">Classified</th>
                <th className="px-3 py-2.5">Meet their level</th>
                {coverage.levels.map((l) => (
                  <th key={l.key} className="px-3 py-2.5 text-right">
                    {l.name} failing
                  </th>
                ))}
                <th className="px-3 py-2.5 text-right">Waived</th>
                <th className="px-3 py-2.5 text-right">
                  <abbr
                    title="Buckets someone outside the organisation can effectively read or write"
                    className="no-underline"
                  >
                    Outside reach
                  </abbr>
                </th>
                {postureColumn ? (
                  <th className="px-5 py-2.5">
                    <abbr
                      title="Accounts whose trail logs in every region and whose bucket-change alerting chain is whole"
                      className="no-underline"
                    >
                      Trail &amp; alerting
                    </abbr>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shownGroups.map((g) => {
                const drill = query.by === "ou" && !g.key ? null : g.view;
                const scope = scopeHref(g.key);
                return (
                  <tr
                    key={g.key ?? "none"}
                    data-testid={`coverage-row-${g.key ?? "none"}`}
                    className="hover:bg-slate-50"
                  >
                    <td className="px-5 py-2.5">
                      {scope ? (
                        <Link href={scope} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                          {g.label}
                        </Link>
                      ) : (
                        <span className="font-medium text-slate-500">{g.label}</span>
                      )}
                      {query.by === "account" && g.key ? (
                        <div className="font-mono text-xs text-slate-500">{g.key}</div>
                      ) : null}
                      {g.readProblem ? (
                        <div className="mt-0.5 max-w-xs text-xs text-rose-700" data-testid="coverage-read-problem">
                          {g.readProblem.status === "never" ? "never synced" : `latest sync ${g.readProblem.status}`}
                          {g.readProblem.error ? `: ${g.readProblem.error}` : ""}
                        </div>
                      ) : null}
                    </td>
                    <td className="px-3 py-2.5 text-right tabular-nums">
                      <CountLink view={drill} count={g.buckets} testId="cell-buckets" />
                    </td>
                    <td className="px-3 py-2.5">
                      <PercentBar part={g.classified} whole={g.buckets} />
                      {g.buckets > g.classified ? (
                        <Link
                          href={drill ? bucketsHref({ ...drill, source: "fallback" }) : "#"}
                          className="mt-0.5 block text-xs text-indigo-700 hover:underline"
                          data-testid="cell-classified"
                          data-unclassified={g.buckets - g.classified}
                        >
                          {(g.buckets - g.classified).toLocaleString("en")} unclassified
                        </Link>
                      ) : null}
                    </td>
                    <td className="px-3 py-2.5">
                      <Link
                        href={drill ? bucketsHref({ ...drill, compliant: "yes" }) : "#"}
                        title={`${g.compliant} meet every required control: show them`}
                        data-testid="cell-compliant"
                        data-compliant={g.compliant}
                      >
                        <PercentBar part={g.compliant} whole={g.buckets} tone="emerald" />
                      </Link>
                    </td>
                    {coverage.levels.map((l) => (
                      <td key={l.key} className="px-3 py-2.5 text-right tabular-nums">
                        <CountLink
                          view={drill ? { ...drill, level: l.key, failing: true } : null}
                          count={g.failingByLevel[l.key] ?? 0}
                          testId={`cell-failing-${l.key}`}
                        />
                      </td>
                    ))}
                    <td className="px-3 py-2.5 text-right tabular-nums">
                      <CountLink
                        view={drill ? { ...drill, waived: true } : null}
                        count={g.waived}
                        testId="cell-waived"
                      />
                    </td>
                    <td className="px-3 py-2.5 text-right tabular-nums">
                      <CountLink
                        view={drill ? { ...drill, exposure: "outside" } : null}
                        count={g.reachable}
                        testId="cell-reachable"
                      />
                    </td>
                    {postureColumn ? (
                      <td className="px-5 py-2.5">
                        <GroupPostureCell
                          group={g.key === null ? undefined : posture!.byGroup[g.key]}
                          href={
                            g.key === null || (query.by === "ou" && g.key === "")
                              ? null
                              : postureHref(query.by === "account" ? { account: g.key } : { ou: g.key })
                          }
                        />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
              {shownGroups.length === 0 && coverage.groupCount > 0 ? (
                <PastEndRow
                  colSpan={6 + coverage.levels.length + (postureColumn ? 1 : 0)}
                  page={coverage.page}
                  pages={coverage.pages}
                  lastHref={groupPageHref(coverage.pages)}
                />
              ) : null}
              {coverage.groupCount === 0 ? (
                <tr>
                  <td
                    colSpan={6 + coverage.levels.length + (postureColumn ? 1 : 0)}
                    className="px-5 py-10 text-center text-slate-500"
                  >
                    No buckets in this scope.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {coverage.pages > 1 || coverage.page > 1 ? (
          <div className="-mx-5 -mb-4 mt-4 overflow-hidden rounded-b-xl">
            {shownGroups.length > 0 ? (
              // Outside the table's scroll box, so a narrow screen shows it too.
              <p className="border-t border-slate-200 px-4 py-2 text-sm text-slate-500" data-testid="coverage-more">
                Groups {firstShown.toLocaleString("en")}–{(firstShown + shownGroups.length - 1).toLocaleString("en")} of{" "}
                {coverage.groupCount.toLocaleString("en")}, largest first.
              </p>
            ) : null}
            <Pagination
              page={coverage.page}
              pages={coverage.pages}
              previousHref={coverage.page > 1 ? groupPageHref(Math.min(coverage.page - 1, coverage.pages)) : null}
              nextHref={coverage.page < coverage.pages ? groupPageHref(coverage.page + 1) : null}
            />
          </div>
        ) : null}
      </Card>
    </>
  );
}

function SummaryTile({
  label,
  value,
  sub,
  href,
  subLink,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  href: string;
  /** The link's text, saying where it goes; null: no link (nothing to show). */
  subLink?: string | null;
  testId: string;
}) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-4 py-3.5 shadow-sm" data-testid={testId}>
      <div className="text-xs font-medium text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</div>
      <div className="mt-1 flex gap-2 text-xs text-slate-500">
        {sub ? <span>{sub}</span> : null}
        {subLink === null ? null : (
          <Link href={href} className="text-indigo-700 hover:underline">
            {subLink ?? "show"}
          </Link>
        )}
      </div>
    </div>
  );
}

/**
 * Per level, now: buckets classified to it by hand or by their tag, and — apart, in amber — those held at it only
 * because nothing classifies them (the scheme's fallback). Bars share one scale, so levels compare by size.
 */
function LevelClassificationCard({ levels, scope }: { levels: LevelClassification[]; scope: BucketFilters }) {
  const largest = Math.max(1, ...levels.map((l) => l.manual + l.cloudtrail + l.tag + l.unclassified));
  const held = levels.filter((l) => l.unclassified > 0);
  return (
    <Card
      title="Classification by level, now"
      description={
        held.length > 0
          ? `Buckets nobody has classified are held to ${held.map((l) => l.name).join(" and ")} (the scheme's fallback) so that its controls apply. They count at that level but are not classified.`
          : "Every bucket is classified, by hand or by its tag."
      }
      className="mb-6"
    >
      <ul className="space-y-3" data-testid="level-classification">
        {levels.map((l) => {
          const total = l.manual + l.cloudtrail + l.tag + l.unclassified;
          const width = (n: number) => `${(100 * n) / largest}%`;
          return (
            <li
              key={l.key}
              data-level={l.key}
              data-classified={l.manual + l.cloudtrail + l.tag}
              data-unclassified={l.unclassified}
              className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]"
            >
              <span className="font-medium text-slate-900">
                {l.name} <span className="font-normal tabular-nums text-slate-500">· {total}</span>
              </span>
              <span className="min-w-0">
                <span className="flex h-2.5 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
                  <span className="bg-indigo-700" style={{ width: width(l.manual) }} />
                  <span className="bg-violet-500" style={{ width: width(l.cloudtrail) }} />
                  <span className="bg-indigo-400" style={{ width: width(l.tag) }} />
                  <span className="bg-amber-400" style={{ width: width(l.unclassified) }} />
                </span>
                <span className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600">
                  <LevelCount
                    n={l.manual}
                    label="set by hand"
                    swatch="bg-indigo-700"
                    href={bucketsHref({ ...scope, level: l.key, source: "manual" })}
                  />
                  {l.cloudtrail > 0 ? (
                    <LevelCount
                      n={l.cloudtrail}
                      label="CloudTrail log buckets"
                      swatch="bg-violet-500"
                      href={bucketsHref({ ...scope, level: l.key, source: "cloudtrail" })}
                    />
                  ) : null}
                  <LevelCount
                    n={l.tag}
                    label="classified by tag"
                    swatch="bg-indigo-400"
                    href={bucketsHref({ ...scope, level: l.key, source: "tag" })}
                  />
                  {l.unclassified > 0 ? (
                    <LevelCount
                      n={l.unclassified}
                      label="unclassified, held here"
                      swatch="bg-amber-400"
                      href={bucketsHref({ ...scope, level: l.key, source: "fallback" })}
                    />
                  ) : null}
                  {total === 0 ? <span>no bucket</span> : null}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function LevelCount({ n, label, swatch, href }: { n: number; label: string; swatch: string; href: string }) {
  const text = (
    <>
      <span className={`mr-1 inline-block h-2 w-2 rounded-sm ${swatch}`} aria-hidden="true" />
      {n.toLocaleString("en")} {label}
    </>
  );
  return n > 0 ? (
    <Link href={href} className="hover:text-indigo-700 hover:underline">
      {text}
    </Link>
  ) : (
    <span className="text-slate-500">{text}</span>
  );
}

/** A group's accounts with a complete trail and alerting chain, "n of m", opening them on Account posture. */
function GroupPostureCell({
  group,
  href,
}: {
  group: { accounts: number; complete: number; failing: number } | undefined;
  href: string | null;
}) {
  if (!group || group.accounts === 0) return <span className="text-slate-500">—</span>;
  const text = `${group.complete.toLocaleString("en")} of ${group.accounts.toLocaleString("en")}`;
  return (
    <span
      className="block min-w-24"
      data-testid="cell-posture"
      data-complete={group.complete}
      data-accounts={group.accounts}
    >
      {href ? (
        <Link href={href} className="font-medium text-indigo-700 hover:underline">
          {text}
        </Link>
      ) : (
        <span className="font-medium">{text}</span>
      )}
      {group.failing > 0 ? (
        <span className="block text-xs text-rose-700">{group.failing.toLocaleString("en")} failing a control</span>
      ) : null}
    </span>
  );
}

/**
 * Account posture over the scope: accounts with a complete trail and alerting chain, buckets reachable from outside
 * the organisation and the outsiders granted anything, then per account control how many accounts pass — each count
 * opening Account posture, the bucket list or Third parties filtered to it.
 */
function AccountPostureCard({
  posture,
  scope,
  ownerScope,
  reachable,
  reachableHref,
  thirdParties,
  thirdPartiesHref,
}: {
  posture: Awaited<ReturnType<typeof getAccountPostureCoverage>> | null;
  scope: { account?: string; ou?: string };
  ownerScope: boolean;
  reachable: number;
  reachableHref: string;
  thirdParties: number | null;
  thirdPartiesHref: string;
}) {
  return (
    <Card
      title="Account posture and third parties, now"
      description={
        ownerScope
          ? "Account controls are judged per account, so an owner's scope has none; choose an account or OU for them."
          : "Each account's audit trail and bucket-change alerting (an OU counts the accounts of the OUs below it too, as Account posture filters), and who outside the organisation the scope's buckets let in."
      }
      className="mb-6"
    >
      <div className="space-y-4" data-testid="account-posture-coverage">
        <ul className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
          {posture ? (
            <li data-testid="posture-complete" data-complete={posture.complete} data-accounts={posture.accounts}>
              <Link href={postureHref(scope)} className="font-semibold text-indigo-700 hover:underline">
                {posture.complete.toLocaleString("en")} of {posture.accounts.toLocaleString("en")}
              </Link>{" "}
              <span className="text-slate-600">
                {posture.accounts === 1 ? "account has" : "accounts have"} a complete trail and alerting chain
              </span>
            </li>
          ) : null}
          <li data-testid="posture-reachable" data-count={reachable}>
            {reachable > 0 ? (
              <Link href={reachableHref} className="font-semibold text-indigo-700 hover:underline">
                {reachable.toLocaleString("en")}
              </Link>
            ) : (
              <span className="font-semibold">0</span>
            )}{" "}
            <span className="text-slate-600">
              {reachable === 1 ? "bucket" : "buckets"} reachable from outside the organisation
            </span>
          </li>
          {thirdParties !== null ? (
            <li data-testid="posture-third-parties" data-count={thirdParties}>
              <Link href={thirdPartiesHref} className="font-semibold text-indigo-700 hover:underline">
                {thirdParties.toLocaleString("en")}
              </Link>{" "}
              <span className="text-slate-600">
                {thirdParties === 1 ? "outsider is" : "outsiders are"} granted something on them
              </span>
            </li>
          ) : null}
        </ul>
        {posture && posture.accounts > 0 ? (
          <ul className="divide-y divide-slate-100 border-t border-slate-100" data-testid="account-control-coverage">
            {posture.controls.map((c) => (
              <AccountControlRow key={c.id} control={c} accounts={posture.accounts} scope={scope} />
            ))}
          </ul>
        ) : null}
      </div>
    </Card>
  );
}

function AccountControlRow({
  control: c,
  accounts,
  scope,
}: {
  control: AccountControlCoverage;
  accounts: number;
  scope: { account?: string; ou?: string };
}) {
  const count = (n: number, status: "fail" | "unknown", label: string, tone: string) =>
    n > 0 ? (
      <Link
        href={postureHref(scope, { control: c.id, status })}
        className={`${tone} hover:underline`}
        data-testid={`control-${status}`}
        data-count={n}
      >
        {n.toLocaleString("en")} {label}
      </Link>
    ) : (
      <span className="text-slate-500" data-testid={`control-${status}`} data-count={0}>
        0 {label}
      </span>
    );
  return (
    <li
      className="grid gap-x-4 gap-y-1 py-2 text-sm sm:grid-cols-[minmax(0,16rem)_minmax(8rem,1fr)_auto] sm:items-center"
      data-control={c.id}
      data-pass={c.pass}
    >
      <span className="font-medium text-slate-900">{c.title}</span>
      <PercentBar part={c.pass} whole={accounts} tone="emerald" />
      <span className="flex flex-wrap gap-x-3 text-xs">
        {count(c.fail, "fail", "failing", "text-rose-700")}
        {count(c.unknown, "unknown", "unknown", "text-amber-700")}
        {c.missing > 0 ? <span className="text-slate-500">{c.missing} not evaluated</span> : null}
      </span>
    </li>
  );
}
