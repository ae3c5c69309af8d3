import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ClassificationForm } from "@/components/buckets/classification-form";
import { ExposureBadge } from "@/components/buckets/exposure-badge";
import { LevelBadge } from "@/components/buckets/level-badge";
import { SETTING_INFO, SettingValue } from "@/components/buckets/setting-summary";
import { AccessAnalysis } from "@/components/buckets/access-analysis";
import { BucketTimeline } from "@/components/buckets/bucket-timeline";
import { KeyAccess } from "@/components/buckets/key-access";
import { MacieCounts } from "@/components/buckets/macie-counts";
import { MacieFindings } from "@/components/buckets/macie-findings";
import { ControlMatrix } from "@/components/risk/control-matrix";
import { RiskExplanation } from "@/components/risk/risk-explanation";
import { RiskScore } from "@/components/risk/risk-score";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { BUCKET_SETTING_KEYS, type Setting } from "@/lib/domain/bucket-settings";
import { isAppError } from "@/lib/errors";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { currentLevels, getBucket } from "@/lib/server/dal/buckets";
import { analyzeBucketAccess } from "@/lib/server/dal/bucket-access";
import { getBucketKeyAccess } from "@/lib/server/dal/bucket-key-access";
import { getBucketFindings, getBucketMacieProfile } from "@/lib/server/dal/findings";
import { can } from "@/lib/server/permissions";
import { classifyBucketAction } from "./classification-actions";
import { ROLE_LABELS } from "@/lib/roles";

export const metadata: Metadata = { title: "Bucket" };

export default async function BucketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("buckets:read");
  const { id } = await params;
  if (!/^\d{1,10}$/.test(id)) notFound();
  let bucket;
  try {
    bucket = await getBucket(actor, Number(id));
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const bucketKey = { accountId: bucket.accountId, name: bucket.name };
  const [levels, access, keyAccess, macieProfile, macieFindings] = await Promise.all([
    currentLevels(actor),
    analyzeBucketAccess(actor, { ...bucketKey, settings: bucket.settings }),
    getBucketKeyAccess(actor, { id: bucket.id, accountId: bucket.accountId }),
    getBucketMacieProfile(actor, bucketKey),
    // Findings follow findings:read (as /findings does); a role without it gets the section's note instead.
    can(actor, "findings:read") ? getBucketFindings(actor, bucketKey) : null,
  ]);
  const levelName = bucket.levelKey ? (levels.find((l) => l.key === bucket.levelKey)?.name ?? bucket.levelKey) : null;
  const now = new Date();
  const stale = bucket.account.lastSyncStatus === "failed" || bucket.account.lastSyncStatus === "partial";

  // The page sizes its grids by its own width (a CSS container), whatever the navigation beside it takes.
  return (
    <div className="@container">
      <PageHeader
        breadcrumb={
          <Link href="/buckets" className="hover:text-slate-700">
            ← Buckets
          </Link>
        }
        title={<span className="font-mono break-all">{bucket.name}</span>}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>
              {bucket.account.name} · <span className="font-mono">{bucket.accountId}</span>
            </span>
            <span className="font-mono">{bucket.region}</span>
            {bucket.account.ouPath ? <span>{bucket.account.ouPath}</span> : null}
            <span data-testid="account-freshness">
              account last synced <RelativeTime date={bucket.account.lastSuccessAt} now={now} />
            </span>
          </span>
        }
        actions={<RiskScore score={bucket.riskScore} />}
      />

      {bucket.goneAt ? (
        <div className="mb-4 rounded-xl border border-slate-300 bg-slate-100 p-4 text-sm text-slate-700">
          This bucket was not listed by the latest successful sync of its account (
          <RelativeTime date={bucket.goneAt} now={now} />
          ). It has probably been deleted; what you see is the last state Custody read.
        </div>
      ) : null}
      {stale ? (
        <div role="status" className="mb-4 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          The latest sync of this account did not complete ({bucket.account.lastError ?? "see Accounts"}). The settings
          below are the last ones read successfully.
        </div>
      ) : null}

      <div className="mb-6 grid gap-4 @2xl:grid-cols-2 @5xl:grid-cols-4">
        <Card title="Classification">
          <LevelBadge levelName={levelName} source={bucket.levelSource} />
          {bucket.classification ? (
            <p className="mt-2 text-xs text-slate-500">
              Set by {bucket.classification.setBy.email} <RelativeTime date={bucket.classification.setAt} now={now} />:
              “{bucket.classification.reason}”
            </p>
          ) : null}
          {can(actor, "buckets:classify") ? (
            <ClassificationForm
              action={classifyBucketAction}
              bucketId={bucket.id}
              levels={levels}
              manualLevelKey={bucket.classification?.levelKey ?? null}
            />
          ) : null}
        </Card>
        <Card title="Public exposure">
          <ExposureBadge exposure={bucket.exposure} />
          <p className="mt-2 text-xs text-slate-500">Public write: {bucket.publicWrite}</p>
          {can(actor, "findings:read") ? (
            <MacieCounts sensitive={bucket.macieFindings} policy={bucket.maciePolicyFindings} showNone />
          ) : null}
        </Card>
        <Card title="Required controls">
          <p className="text-sm">
            <span className="font-semibold text-rose-700">{bucket.failingRequired}</span> failing ·{" "}
            <span className="font-semibold text-slate-600">{bucket.unknownRequired}</span> unknown
          </p>
        </Card>
        <Card title="Last read">
          <p className="text-sm">
            <RelativeTime date={bucket.settingsConfirmedAt} now={now} />
          </p>
          <p className="mt-1 text-xs text-slate-500">
            unchanged since <RelativeTime date={bucket.settingsReadAt} now={now} />
          </p>
        </Card>
      </div>

      <div className="space-y-6">
        <div className="grid gap-6 @5xl:grid-cols-3">
          <div className="min-w-0 @5xl:col-span-2">
            <AccessAnalysis policy={access.policy} acl={access.acl} />
          </div>
          <RiskExplanation score={bucket.riskScore} terms={bucket.riskTerms} />
        </div>

        {keyAccess ? <KeyAccess data={keyAccess} /> : null}

        <ControlMatrix
          proposeWaiverHref={can(actor, "waivers:propose") ? `/waivers?propose=${bucket.id}` : undefined}
          results={bucket.controlResults}
          controls={CONTROL_CATALOG.map(
            ({
              id,
              title,
              checks,
              fix,
              configRuleIdentifier,
              configRuleVerdict,
              configRuleNotComparable,
              securityHubControlId,
            }) => ({
              id,
              title,
              checks,
              fix,
              configRuleIdentifier,
              configRuleBasis: configRuleNotComparable ?? configRuleVerdict?.basis ?? null,
              securityHubControlId,
            }),
          )}
        />

        <MacieFindings
          data={{ profile: macieProfile, findings: macieFindings }}
          now={now}
          roleLabel={ROLE_LABELS[actor.role]}
          findingsHref={
            can(actor, "findings:read")
              ? `/findings?account=${bucket.accountId}&bucket=${encodeURIComponent(bucket.name)}&match=exact`
              : null
          }
        />

        <Card
          title="Settings as read"
          description="Each value is what the AWS API returned at the last successful read of this bucket."
        >
          <table className="min-w-full text-sm" data-testid="settings-table">
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Setting</th>
                <th className="py-2 pr-4">Value</th>
                <th className="hidden py-2 @2xl:table-cell">Source</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {BUCKET_SETTING_KEYS.map((key) => (
                <tr key={key} className="align-top">
                  <td className="py-2.5 pr-4 font-medium text-slate-800">
                    {SETTING_INFO[key].label}
                    <SettingSource api={SETTING_INFO[key].api} stacked>
                      <RelativeTime date={bucket.settingsConfirmedAt} now={now} />
                    </SettingSource>
                  </td>
                  <td className="py-2.5 pr-4 text-slate-700">
                    <SettingValue settingKey={key} setting={bucket.settings?.[key] as Setting<unknown> | undefined} />
                  </td>
                  <td className="hidden py-2.5 @2xl:table-cell">
                    <SettingSource api={SETTING_INFO[key].api}>
                      <RelativeTime date={bucket.settingsConfirmedAt} now={now} />
                    </SettingSource>
                  </td>
                </tr>
              ))}
              <tr className="align-top">
                <td className="py-2.5 pr-4 font-medium text-slate-800">
                  Block Public Access (account)
                  <SettingSource api="s3control:GetPublicAccessBlock" stacked>
                    <RelativeTime date={bucket.account.s3AccountSettingsReadAt} now={now} />
                  </SettingSource>
                </td>
                <td className="py-2.5 pr-4 text-slate-700">
                  <SettingValue
                    settingKey="publicAccessBlock"
                    setting={
                      (bucket.account.s3AccountSettings as { publicAccessBlock?: Setting<unknown> } | null)
                        ?.publicAccessBlock
                    }
                  />
                </td>
                <td className="hidden py-2.5 @2xl:table-cell">
                  <SettingSource api="s3control:GetPublicAccessBlock">
                    <RelativeTime date={bucket.account.s3AccountSettingsReadAt} now={now} />
                  </SettingSource>
                </td>
              </tr>
            </tbody>
          </table>
        </Card>

        <Card
          title="Timeline"
          description="Every change to the bucket, newest first: as it happened when AWS reports the call (who, from where, the verdict before and after), else when a sync reads settings that differ from the previous read."
        >
          {bucket.changes.length === 0 && bucket.events.length === 0 ? (
            <p className="text-sm text-slate-500">
              No change since Custody first read this bucket (<RelativeTime date={bucket.firstSeenAt} now={now} />
              ).
            </p>
          ) : (
            <BucketTimeline changes={bucket.changes} events={bucket.events} now={now} />
          )}
        </Card>
      </div>
    </div>
  );
}

/** Which API call a setting came from and when: its own column when wide, under the setting's name when narrow. */
function SettingSource({
  api,
  stacked = false,
  children,
}: {
  api: string;
  stacked?: boolean;
  children: React.ReactNode;
}) {
  return (
    <span
      className={`text-xs font-normal text-slate-500 ${stacked ? "mt-0.5 block break-all @2xl:hidden" : "whitespace-nowrap"}`}
    >
      <span className="font-mono">{api}</span>
      {stacked ? " · " : <br />}
      {children}
    </span>
  );
}
