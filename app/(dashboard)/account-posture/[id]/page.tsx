import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertingChain } from "@/components/account-posture/alerting-chain";
import { ControlStatusBadge } from "@/components/account-posture/control-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { ACCOUNT_CONTROL_CATALOG } from "@/lib/domain/account-controls/catalog";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { getAccountPosture } from "@/lib/server/dal/account-posture";

export const metadata: Metadata = { title: "Account posture" };

const yesNo = (v: boolean) => (v ? "yes" : "no");

export default async function AccountPosturePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("posture:read");
  const { id } = await params;
  if (!/^\d{12}$/.test(id)) notFound();
  const posture = await getAccountPosture(actor, id);
  if (!posture) notFound();
  const { account, trails, trailBuckets } = posture;
  const results = new Map(account.accountControlResults.map((r) => [r.controlId, r]));
  const chain = results.get("bucket-change-alerting");
  const bucketOf = new Map(trailBuckets.map((b) => [b.name, b]));
  const now = new Date();
  const evaluatedAt = account.accountControlResults.reduce<Date | null>(
    (latest, r) => (!latest || r.evaluatedAt > latest ? r.evaluatedAt : latest),
    null,
  );

  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href="/account-posture" className="hover:underline">
            Account posture
          </Link>
        }
        title={account.name}
        description={
          <>
            <span className="font-mono">{account.id}</span>
            {account.ouPath ? ` · ${account.ouPath}` : ""}
            {evaluatedAt ? (
              <>
                {" "}
                · evaluated <RelativeTime date={evaluatedAt} now={now} />
              </>
            ) : (
              " · not evaluated yet (after its next sync)"
            )}
          </>
        }
      />
      <div className="space-y-6">
        <Card
          title="Bucket-change alerting chain"
          description="Would anyone be told within minutes if a bucket policy, ACL or CORS configuration changed? Each link as read; the broken one is marked."
        >
          {chain ? (
            <AlertingChain status={chain.status} reason={chain.reason} evidence={chain.evidence} />
          ) : (
            <p className="text-sm text-slate-500">Not evaluated yet.</p>
          )}
        </Card>

        <Card title="Trails covering this account" description="As DescribeTrails listed them at the last sync.">
          {trails.length === 0 ? (
            <p className="text-sm text-slate-500">No trail listed.</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="trails">
              {trails.map((t) => {
                const bucket = t.s3BucketName ? bucketOf.get(t.s3BucketName) : undefined;
                return (
                  <li key={t.arn} className="py-3 first:pt-0 last:pb-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium text-slate-900">{t.name}</span>
                      {t.isOrganizationTrail ? <Badge tone="violet">organisation trail</Badge> : null}
                      {t.ownerAccountId !== account.id ? (
                        <span className="text-xs text-slate-500">owned by {t.ownerAccountId}</span>
                      ) : null}
                    </div>
                    <dl className="mt-1 grid grid-cols-1 gap-x-6 gap-y-1 text-xs text-slate-600 sm:grid-cols-2">
                      <div>
                        <dt className="inline text-slate-500">Multi-region: </dt>
                        <dd className="inline">
                          {yesNo(t.isMultiRegion)} (home {t.homeRegion})
                        </dd>
                      </div>
                      <div>
                        <dt className="inline text-slate-500">Log file validation: </dt>
                        <dd className="inline">{yesNo(t.logFileValidation)}</dd>
                      </div>
                      <div className="min-w-0 break-words">
                        <dt className="inline text-slate-500">Log bucket: </dt>
                        <dd className="inline font-mono">
                          {bucket ? (
                            <Link href={`/buckets/${bucket.id}`} className="text-indigo-700 hover:underline">
                              {bucket.name}
                            </Link>
                          ) : (
                            (t.s3BucketName ?? "none")
                          )}
                        </dd>
                      </div>
                      <div className="min-w-0 break-all">
                        <dt className="inline text-slate-500">KMS key: </dt>
                        <dd className="inline font-mono">{t.kmsKeyId ?? "none (SSE-S3)"}</dd>
                      </div>
                      <div className="min-w-0 break-all sm:col-span-2">
                        <dt className="inline text-slate-500">CloudWatch Logs group: </dt>
                        <dd className="inline font-mono">{t.cloudWatchLogsLogGroupArn ?? "none"}</dd>
                      </div>
                    </dl>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>

        <Card
          title="Controls"
          description="Each account control's verdict, why, the evidence it read and what to change."
        >
          <ul className="divide-y divide-slate-100" data-testid="account-controls">
            {ACCOUNT_CONTROL_CATALOG.map((c) => {
              const r = results.get(c.id);
              return (
                <li key={c.id} className="py-4 first:pt-0 last:pb-0" data-control={c.id} data-status={r?.status ?? ""}>
                  <div className="flex flex-wrap items-center gap-2">
                    <ControlStatusBadge status={r?.status} />
                    <h3 className="text-sm font-semibold text-slate-900">{c.title}</h3>
                    {c.securityHubControlId ? <Badge>Security Hub {c.securityHubControlId}</Badge> : null}
                    <span className="text-xs text-slate-500">{c.cisIds.join(" · ")}</span>
                  </div>
                  <p className="mt-1 text-xs text-slate-500">{c.checks}</p>
                  <p className="mt-2 break-words text-sm text-slate-800">{r ? r.reason : "Not evaluated yet."}</p>
                  {r && r.status !== "pass" ? (
                    <div className="mt-2 text-xs text-slate-700">
                      <span className="font-semibold">What to change: </span>
                      <span className="break-words">{c.fix}</span>
                    </div>
                  ) : null}
                  {r ? (
                    <details className="mt-2 text-xs">
                      <summary className="cursor-pointer text-indigo-700">Evidence</summary>
                      <pre className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-slate-50 p-3 font-mono text-slate-700">
                        {JSON.stringify(r.evidence, null, 2)}
                      </pre>
                    </details>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </Card>
      </div>
    </>
  );
}
