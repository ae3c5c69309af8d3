import type { Metadata } from "next";
import Link from "next/link";
import { ExposureBadge } from "@/components/buckets/exposure-badge";
import { CounterTile } from "@/components/overview/counter-tile";
import { FailingByLevel } from "@/components/overview/failing-by-level";
import { HeadlineTrend } from "@/components/overview/headline-trend";
import { PostureChanges } from "@/components/overview/posture-changes";
import { RankedBars } from "@/components/overview/ranked-bars";
import { RiskScore } from "@/components/risk/risk-score";
import { Card } from "@/components/ui/card";
import { SyncStatusBadge } from "@/components/ui/freshness";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { withQuery } from "@/lib/list-query";
import { bucketQueryParams } from "@/lib/schemas/bucket-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { getAccountPostureCounts } from "@/lib/server/dal/account-posture";
import { getPostureOverview } from "@/lib/server/dal/posture";
import { getFailingByLevel, getHeadlineTrend, getPostureChanges, TREND_DAYS } from "@/lib/server/dal/posture-changes";

/** Stale accounts named in the caveat under the counters (the list below names more). */
const CAVEAT_NAMES = 5;

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePageActor("posture:read");
  const now = new Date();
  const [posture, changes, failingByLevel, trend, accountPosture] = await Promise.all([
    getPostureOverview(actor, now),
    getPostureChanges(actor),
    getFailingByLevel(actor),
    getHeadlineTrend(actor, now),
    getAccountPostureCounts(actor),
  ]);
  const inScope = posture.counters.find((c) => c.key === "in-scope")?.count ?? 0;
  const levelName = new Map(posture.levels.map((l) => [l.key, l.name]));
  const bucketsHref = (view: Parameters<typeof bucketQueryParams>[0]) => withQuery("/buckets", bucketQueryParams(view));

  return (
    <>
      <PageHeader
        title="Overview"
        description="Posture across every linked account. Each number opens the bucket list behind it."
      />

      <div className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7" data-testid="posture-counters">
        {posture.counters.map((c) => (
          <CounterTile
            key={c.key}
            testId={`counter-${c.key}`}
            label={c.label}
            hint={c.hint}
            count={c.count}
            tone={c.tone}
            href={bucketsHref(c.view)}
          />
        ))}
        <CounterTile
          testId="counter-macie-high-findings"
          label="High-severity findings"
          hint="active Macie findings of high severity, across accounts"
          count={posture.highSeverityFindings.count}
          tone="bad"
          href={withQuery("/findings", { severity: posture.highSeverityFindings.view.severity })}
        />
        <CounterTile
          testId="counter-stale-accounts"
          label="Accounts with stale data"
          hint={`last sync failed, or no success in ${posture.staleAfterHours} h`}
          count={posture.staleAccountCount}
          tone="warn"
          href="#stale-accounts"
        />
        <CounterTile
          testId="counter-broken-trail"
          label="Accounts with a broken trail"
          hint="no multi-region trail logging management events"
          count={accountPosture.brokenTrail.count}
          tone="bad"
          href={withQuery("/account-posture", { control: accountPosture.brokenTrail.controlId, status: "fail" })}
        />
        <CounterTile
          testId="counter-broken-chain"
          label="Accounts with broken alerting"
          hint="nobody would be told of a bucket policy or ACL change"
          count={accountPosture.brokenChain.count}
          tone="bad"
          href={withQuery("/account-posture", { control: accountPosture.brokenChain.controlId, status: "fail" })}
        />
      </div>
      {posture.staleAccountCount > 0 ? (
        <p role="status" className="-mt-3 mb-6 text-xs text-amber-900" data-testid="posture-caveat">
          These numbers include the last state read of {posture.staleAccountCount.toLocaleString("en")} account
          {posture.staleAccountCount === 1 ? "" : "s"} whose data is not current:{" "}
          {posture.staleAccounts
            .slice(0, CAVEAT_NAMES)
            .map((a) => `${a.name} (${a.id})`)
            .join(", ")}
          {posture.staleAccountCount > CAVEAT_NAMES
            ? ` and ${(posture.staleAccountCount - CAVEAT_NAMES).toLocaleString("en")} more`
            : ""}{" "}
          — why is listed under “Accounts with stale data”.
        </p>
      ) : null}

      <div className="mb-6 grid grid-cols-1 gap-6 lg:grid-cols-2 2xl:grid-cols-3">
        <Card
          title="Since the last sync"
          description={
            changes.previous
              ? `Buckets the last sync (${changes.latest!.at.toISOString().slice(0, 16).replace("T", " ")} UTC) found public, reachable from outside or failing that the one before did not.`
              : "What the last sync made public, reachable from outside or failing."
          }
        >
          <PostureChanges
            latestAt={changes.latest?.at ?? null}
            previousAt={changes.previous?.at ?? null}
            changes={changes.changes}
            sinceEvents={changes.sinceEvents}
          />
        </Card>
        <Card title="Failing by level" description="Buckets failing a control their level requires, per level.">
          <FailingByLevel
            rows={failingByLevel.map((l) => ({
              key: l.levelKey ?? "unclassified",
              label: l.levelKey === null ? "of which unclassified (held to the fallback level)" : l.label,
              failing: l.failing,
              total: l.total,
              href: bucketsHref(
                l.levelKey === null ? { failing: true, source: "fallback" } : { failing: true, level: l.levelKey },
              ),
            }))}
          />
        </Card>
        <Card
          className="lg:col-span-2 2xl:col-span-1"
          title="Trend"
          description={`The headline numbers over the last ${TREND_DAYS} days.`}
        >
          <HeadlineTrend points={trend} />
        </Card>
      </div>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-5">
        <Card
          className="xl:col-span-3"
          title="Riskiest buckets"
          description="Highest risk score first, with the term that weighs most. The bucket page lists every term."
          actions={
            <Link href="/buckets?sort=risk" className="text-xs font-medium text-indigo-700 hover:underline">
              All buckets by risk →
            </Link>
          }
        >
          <div className="-mx-5 overflow-x-auto px-5">
            <table className="min-w-full text-sm" data-testid="riskiest-buckets">
              <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="pb-2 pr-3">Risk</th>
                  <th className="pb-2 pr-3">Bucket</th>
                  <th className="pb-2 pr-3">Exposure</th>
                  <th className="pb-2">Top reason</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {posture.riskiest.map((b) => (
                  <tr key={b.id} className="align-top">
                    <td className="py-2 pr-3">
                      <RiskScore score={b.riskScore} />
                    </td>
                    <td className="max-w-[16rem] py-2 pr-3">
                      <Link href={`/buckets/${b.id}`} className="row-link">
                        {b.name}
                      </Link>
                      <span className="text-xs text-slate-500">
                        <span className="font-mono">{b.accountId}</span> ·{" "}
                        {b.levelSource === "fallback"
                          ? "unclassified"
                          : (levelName.get(b.levelKey ?? "") ?? b.levelKey)}
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      <ExposureBadge exposure={b.exposure} />
                    </td>
                    <td className="py-2 text-xs text-slate-700">
                      {b.topReason ? (
                        <>
                          <span className="font-medium">{b.topReason.label}</span>{" "}
                          <span className="text-slate-500">+{b.topReason.points}</span>
                          {b.termCount > 1 ? <span className="text-slate-500"> · {b.termCount - 1} more</span> : null}
                        </>
                      ) : (
                        <span className="text-slate-500">
                          not explained yet (evaluated before risk terms were stored)
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>

        <Card
          className="xl:col-span-2"
          title="Failing controls"
          description="Buckets failing each control their level requires."
        >
          <RankedBars
            testId="failing-controls"
            total={inScope}
            items={posture.failingControls.map((c) => ({
              key: c.controlId,
              label: c.title,
              count: c.count,
              href: bucketsHref(c.view),
            }))}
          />
        </Card>
      </div>

      <div id="stale-accounts" className="mt-6 scroll-mt-6">
        <Card
          title="Accounts with stale data"
          description={`The latest sync failed, or the last success is older than ${posture.staleAfterHours} hours. Their buckets show the last state read.`}
        >
          {posture.staleAccounts.length === 0 ? (
            <p className="text-sm text-slate-500">
              Every enabled account synced successfully in the last {posture.staleAfterHours} hours.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="stale-accounts">
              {posture.staleAccounts.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center gap-3 py-2">
                  <SyncStatusBadge status={a.lastSyncStatus} />
                  <span className="font-medium text-slate-900">{a.name}</span>
                  <span className="font-mono text-xs text-slate-500">{a.id}</span>
                  <span className="text-xs text-slate-500">
                    last success <RelativeTime date={a.lastSuccessAt} now={now} />
                  </span>
                  {a.lastError ? (
                    <span className="min-w-0 flex-1 truncate text-xs text-rose-700" title={a.lastError}>
                      {a.lastError}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {posture.staleAccountCount > posture.staleAccounts.length ? (
            <p className="mt-2 text-sm text-slate-500" data-testid="stale-accounts-more">
              The {posture.staleAccounts.length} that have waited longest of{" "}
              {posture.staleAccountCount.toLocaleString("en")}.{" "}
              <Link href="/accounts?status=failed" className="font-medium text-indigo-700 hover:underline">
                Failed accounts
              </Link>{" "}
              ·{" "}
              <Link href="/accounts?status=never" className="font-medium text-indigo-700 hover:underline">
                never synced
              </Link>
            </p>
          ) : null}
        </Card>
      </div>
    </>
  );
}
