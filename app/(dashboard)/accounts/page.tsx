import type { Metadata } from "next";
import Link from "next/link";
import { FilterBar, type FilterField } from "@/components/list-page/filter-bar";
import { Pagination } from "@/components/list-page/pagination";
import { QueryError } from "@/components/list-page/query-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { viewState } from "@/lib/list-query";
import { listPaging } from "@/lib/pagination";
import { ACCOUNT_SYNC_STATUSES, AccountListQuerySchema, SYNC_STATUS_LABEL } from "@/lib/schemas/account-list-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { getLinkingGuide } from "@/lib/server/dal/account-admin";
import { changeEventsInUse, listAccounts } from "@/lib/server/dal/accounts";
import { DEPLOY_TEMPLATES } from "@/lib/server/dal/deploy-templates";
import { getSyncSettings, getSyncStatus } from "@/lib/server/dal/sync";
import { can } from "@/lib/server/permissions";
import { AccountsTable } from "./accounts-table";
import { DiscoverForm, LinkAccountForm } from "./link-account-forms";
import { SyncAllButton, SyncProgress } from "./sync-progress";
import { ScheduleForm, WebhooksForm } from "./sync-settings-forms";

export const metadata: Metadata = { title: "Accounts" };

const ACCOUNT_FILTERS: FilterField[] = [
  { name: "q", label: "Search", kind: "text", placeholder: "Name or account id", wide: true },
  {
    name: "status",
    label: "Latest sync",
    kind: "select",
    all: "Any outcome",
    options: ACCOUNT_SYNC_STATUSES.map((s) => ({ value: s, label: SYNC_STATUS_LABEL[s] })),
  },
];

type Search = Record<string, string | string[] | undefined>;

export default async function AccountsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("accounts:read");
  const parsed = AccountListQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Accounts" />
        <QueryError issues={parsed.error.issues} resetHref="/accounts" resetLabel="Show all accounts" />
      </>
    );
  }
  const query = parsed.data;
  const [list, status, settings, guide, showEvents] = await Promise.all([
    listAccounts(actor, query),
    getSyncStatus(actor),
    getSyncSettings(actor),
    getLinkingGuide(actor),
    changeEventsInUse(actor),
  ]);
  const { accounts, unlinked } = list;
  const state = viewState(query);
  const paging = listPaging({ path: "/accounts", state, noun: "accounts", rows: accounts, ...list });
  const filtered = query.q !== undefined || query.status !== undefined;
  const canSync = can(actor, "sync:run");
  const canManage = can(actor, "accounts:manage");
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Linked AWS accounts, how Custody reaches them, and how fresh their data is."
        actions={canSync && accounts.length > 0 ? <SyncAllButton /> : null}
      />

      <div className="space-y-6">
        <Card
          title="Sync"
          description={
            <>
              Schedule: {settings.schedule.label}. Each account syncs as its own job; a failed account keeps its last
              good data.
            </>
          }
        >
          <SyncProgress initial={status} />
        </Card>

        <div>
          <FilterBar
            fields={ACCOUNT_FILTERS}
            values={state}
            resetHref="/accounts"
            count={{ testId: "account-count", total: list.total, summary: paging.summary }}
          />
          {accounts.length > 0 ? (
            <AccountsTable
              accounts={accounts}
              canSync={canSync}
              canManage={canManage}
              now={now}
              showEvents={showEvents}
            />
          ) : (
            <p
              className="rounded-xl border border-slate-200 bg-white p-6 text-center text-sm text-slate-500 shadow-sm"
              data-testid={paging.pastEnd ? "past-end" : "no-accounts"}
            >
              {paging.pastEnd ? (
                <>
                  There is no page {query.page.toLocaleString("en")}: this list has {paging.pages.toLocaleString("en")}{" "}
                  {paging.pages === 1 ? "page" : "pages"}.{" "}
                  <Link href={paging.lastHref} className="font-medium text-indigo-700 hover:underline">
                    Go to the last page
                  </Link>
                </>
              ) : filtered ? (
                "No linked account matches these filters."
              ) : (
                "No account is linked yet: deploy the read-only role below, then link the account."
              )}
            </p>
          )}
          {paging.pages > 1 || query.page > 1 ? (
            <div className="mt-3 overflow-hidden rounded-xl border border-slate-200">
              <Pagination
                page={query.page}
                pages={paging.pages}
                previousHref={paging.previousHref}
                nextHref={paging.nextHref}
              />
            </div>
          ) : null}
        </div>

        {list.unlinkedTotal > 0 ? (
          <details
            className="rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm"
            data-testid="unlinked-accounts"
          >
            <summary className="cursor-pointer font-medium text-slate-800">
              Unlinked accounts ({list.unlinkedTotal.toLocaleString("en")})
            </summary>
            <p className="mt-2 text-xs text-slate-600">
              Not synced any more; what Custody read from them stays. Link one again (same role ARN) to resume it.
            </p>
            <ul className="mt-2 space-y-1 text-xs text-slate-700">
              {unlinked.map((a) => (
                <li key={a.id}>
                  {a.name} · <span className="font-mono">{a.id}</span> · unlinked{" "}
                  <RelativeTime date={a.unlinkedAt} now={now} /> · {a.buckets} bucket(s) as last read
                </li>
              ))}
            </ul>
            {list.unlinkedTotal > unlinked.length ? (
              <p className="mt-2 text-xs text-slate-500">
                The {unlinked.length} most recently unlinked of {list.unlinkedTotal.toLocaleString("en")}.
              </p>
            ) : null}
          </details>
        ) : null}

        <div className="grid gap-6 lg:grid-cols-2">
          <Card
            title="Read-only role templates"
            description="Deploy the role in each account (or the whole organisation) before linking."
          >
            <ul className="space-y-2 text-sm">
              {Object.entries(DEPLOY_TEMPLATES).map(([file, description]) => (
                <li key={file}>
                  <a href={`/api/deploy/${file}`} className="font-mono font-medium text-indigo-700 hover:underline">
                    {file}
                  </a>
                  <p className="text-xs text-slate-500">{description}</p>
                </li>
              ))}
            </ul>
            <p className="mt-3 text-xs text-slate-500">
              Parameters: <span className="font-mono">HubAccountId</span> (the account Custody runs in),{" "}
              <span className="font-mono">ExternalId</span>, and optionally the hub role ARN. The role may read bucket
              configuration, Config compliance and Macie findings — never object data, never write.
            </p>
            {guide.externalId ? (
              <div className="mt-3 rounded-lg bg-slate-50 p-3">
                <p className="text-xs font-medium text-slate-700">ExternalId to paste into the template</p>
                <p
                  className="mt-1 select-all break-all font-mono text-sm text-slate-900"
                  data-testid="installation-external-id"
                >
                  {guide.externalId}
                </p>
              </div>
            ) : null}
          </Card>

          <Card
            title="Schedule and notifications"
            description="When every account syncs, and who hears about buckets that got worse."
          >
            {settings.canManage ? (
              <div className="space-y-5">
                <ScheduleForm expression={settings.schedule.expression} />
                <WebhooksForm urls={settings.webhooks ?? []} />
                {settings.deliveries.length ? (
                  <div>
                    <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
                      Recent deliveries
                    </h3>
                    <ul className="space-y-1 text-xs" data-testid="webhook-deliveries">
                      {settings.deliveries.map((d) => (
                        <li key={d.id} className={d.outcome === "delivered" ? "text-slate-600" : "text-rose-700"}>
                          {d.at.replace("T", " ").slice(0, 16)} · {d.url} · {d.outcome}
                          {d.httpStatus ? ` (HTTP ${d.httpStatus})` : ""} · {d.events} event(s)
                          {d.error ? ` — ${d.error}` : ""}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
              </div>
            ) : (
              <p className="text-sm text-slate-600">
                {settings.schedule.label}. Admins change the schedule and webhooks.
              </p>
            )}
          </Card>
        </div>

        {canManage ? (
          <div className="grid gap-6 lg:grid-cols-2">
            <Card
              title="Link an account"
              description="By the ARN of its read-only role. Leave the ExternalId empty to use this installation's (shown above)."
            >
              <LinkAccountForm defaultExternalId={guide.externalId ?? ""} />
              {guide.fixtureMode ? (
                <div
                  className="mt-4 rounded-lg border border-amber-200 bg-amber-50 p-3 text-xs text-amber-900"
                  data-testid="fixture-hint"
                >
                  <p className="font-medium">Demo mode: Custody talks to the fixture AWS (CUSTODY_FIXTURE_AWS=demo).</p>
                  {guide.fixtureAccounts.length ? (
                    <>
                      <p className="mt-1">
                        These accounts of the demo organisation are not linked yet. Their roles were deployed before
                        this installation existed, each with its own ExternalId (shown): paste it into the ExternalId
                        field. Roles you deploy from the templates use this installation&apos;s ExternalId above, so you
                        can leave the field empty.
                      </p>
                      <ul className="mt-1 space-y-1">
                        {guide.fixtureAccounts.map((f) => (
                          <li key={f.accountId} className="font-mono">
                            {f.roleArn} · ExternalId {f.externalId}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : (
                    <p className="mt-1">Every account of the demo organisation is linked.</p>
                  )}
                </div>
              ) : null}
            </Card>
            <Card
              title="Discover from AWS Organizations"
              description="From the management (or a delegated-administrator) account: links every active account with the same role name; run again to pick up new accounts."
            >
              <DiscoverForm />
            </Card>
          </div>
        ) : null}
      </div>
    </>
  );
}
