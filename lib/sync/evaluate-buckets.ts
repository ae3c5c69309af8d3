/**
 * Evaluation: for each bucket, gather what lib/domain needs (current settings, account settings, manual
 * classification, active waivers, AWS Config verdicts, Macie's view), run `evaluateBucket`, and persist the
 * ControlResults plus the denormalised columns the lists filter and sort on. Runs after every load and whenever
 * the scheme or a waiver changes. Batched by id range, so memory stays flat at 100,000 buckets.
 */
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AccountSettings, BucketSettings, ConfigVerdict, MacieBucketContext, Setting } from "@/lib/domain/bucket-settings";
import { unknown } from "@/lib/domain/bucket-settings";
import { resolveBucketLevel } from "@/lib/domain/classification/resolve-bucket-level";
import { evaluateBucket } from "@/lib/domain/evaluate-bucket";
import { loadCurrentScheme } from "@/lib/sync/scheme-store";

const BATCH = 500;
const OWNER_TAG_KEYS = ["Owner", "owner", "Team", "team"];

export type MacieRegionStatus = { status: "enabled" | "paused" | "disabled" | "unknown"; reason?: string; errorCode?: string };

export interface EvaluationSummary {
  evaluated: number;
  schemeVersion: number;
}

export async function trustedAccountIds(client: Db): Promise<string[]> {
  // The organisation's own linked accounts are trusted with cross-account access, plus an explicit allow-list.
  const [accounts, setting] = await Promise.all([
    client.account.findMany({ select: { id: true } }),
    client.appSetting.findUnique({ where: { key: "trustedAccountIds" } }),
  ]);
  const extra = Array.isArray(setting?.value) ? (setting.value as string[]) : [];
  return [...new Set([...accounts.map((a) => a.id), ...extra])];
}

export function macieSession(status: MacieRegionStatus | undefined, accountId: string, region: string): MacieBucketContext["macie"] | null {
  if (!status) return null;
  switch (status.status) {
    case "enabled":
      return { status: "present", value: { status: "ENABLED" } };
    case "paused":
      return { status: "present", value: { status: "PAUSED" } };
    case "disabled":
      return { status: "disabled", reason: status.reason ?? `Macie is not enabled in ${accountId}/${region}` };
    default:
      return { status: "unknown", reason: status.reason ?? "Macie status could not be read", errorCode: status.errorCode };
  }
}

export async function evaluateAccountBuckets(client: Db, accountId: string): Promise<EvaluationSummary> {
  return evaluateBuckets(client, { accountId });
}

export interface EvaluateOptions {
  /** Called after each persisted batch with the running total (progress for background re-evaluations). */
  onBatch?: (evaluated: number) => void | Promise<void>;
}

export async function evaluateBuckets(client: Db, where: Prisma.BucketWhereInput = {}, options: EvaluateOptions = {}): Promise<EvaluationSummary> {
  const { version, scheme } = await loadCurrentScheme(client);
  const trusted = await trustedAccountIds(client);
  const now = new Date();

  // Per account/region context, small: read once.
  const regionRows = await client.accountRegion.findMany({ select: { accountId: true, region: true, collector: true, status: true, lastSuccessAt: true } });
  const deployedRules = new Map<string, string[] | null>();
  const macieStatus = new Map<string, MacieRegionStatus>();
  for (const r of regionRows) {
    const key = `${r.accountId}/${r.region}`;
    if (r.collector === "config") {
      const s = r.status as { deployedRules?: { sourceIdentifier: string }[] } | null;
      deployedRules.set(key, r.lastSuccessAt && s?.deployedRules ? s.deployedRules.map((d) => d.sourceIdentifier) : null);
    } else if (r.collector === "macie" && r.status) {
      macieStatus.set(key, r.status as MacieRegionStatus);
    }
  }
  const accountRows = await client.account.findMany({ select: { id: true, s3AccountSettings: true } });
  const accountSettings = new Map(
    accountRows.map((a) => [
      a.id,
      (a.s3AccountSettings as AccountSettings | null) ?? { publicAccessBlock: unknown("Account settings have not been read yet") as Setting<never> },
    ]),
  );

  let cursor = 0;
  let evaluated = 0;
  for (;;) {
    const buckets = await client.bucket.findMany({
      where: { ...where, id: { gt: cursor }, currentStateId: { not: null } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: {
        id: true,
        name: true,
        arn: true,
        region: true,
        accountId: true,
        currentState: { select: { settings: true } },
        classification: { select: { levelKey: true, reason: true, setAt: true, setBy: { select: { email: true } } } },
        waivers: { where: { status: "approved", expiresAt: { gt: now } }, select: { id: true, controlId: true, expiresAt: true } },
      },
    });
    if (buckets.length === 0) break;
    cursor = buckets[buckets.length - 1]!.id;

    const pairs = buckets.map((b) => ({ accountId: b.accountId, bucketName: b.name }));
    const [configRows, findingRows, profileRows] = await Promise.all([
      client.configEvaluation.findMany({
        where: { OR: pairs },
        select: { accountId: true, bucketName: true, region: true, sourceIdentifier: true, ruleName: true, complianceType: true, recordedAt: true, annotation: true },
      }),
      client.macieFinding.findMany({
        where: { OR: pairs, archived: false, category: "CLASSIFICATION" },
        select: { accountId: true, bucketName: true, severityScore: true, sensitiveDataCategories: true, detectionTypes: true },
      }),
      client.macieBucketProfile.findMany({
        where: { OR: pairs },
        select: { accountId: true, bucketName: true, sensitivityScore: true, monitoringStatus: true },
      }),
    ]);
    const key = (a: string, n: string) => `${a}/${n}`;
    const group = <T extends { accountId: string; bucketName: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) {
        const k = key(r.accountId, r.bucketName);
        const list = m.get(k);
        if (list) list.push(r);
        else m.set(k, [r]);
      }
      return m;
    };
    const configBy = group(configRows);
    const findingsBy = group(findingRows);
    const profileBy = new Map(profileRows.map((p) => [key(p.accountId, p.bucketName), p]));

    const resultRows: Prisma.ControlResultCreateManyInput[] = [];
    const updates = {
      id: [] as number[], level: [] as string[], source: [] as string[], classified: [] as boolean[], exposure: [] as string[],
      publicWrite: [] as string[], risk: [] as number[], failing: [] as number[], unknownCount: [] as number[], waived: [] as number[],
      compliant: [] as boolean[], macieMax: [] as number[], macieCount: [] as number[], disagreements: [] as number[],
      owner: [] as (string | null)[], tags: [] as string[],
    };

    for (const b of buckets) {
      const settings = b.currentState!.settings as unknown as BucketSettings;
      const k = key(b.accountId, b.name);
      const regionKey = `${b.accountId}/${b.region}`;
      const findings = findingsBy.get(k) ?? [];
      const profile = profileBy.get(k);
      const session = macieSession(macieStatus.get(regionKey), b.accountId, b.region);
      const macie: MacieBucketContext | null = session
        ? {
            macie: session,
            sensitiveFindings: {
              count: findings.length,
              maxSeverityScore: Math.max(0, ...findings.map((f) => f.severityScore)),
              categories: [...new Set(findings.flatMap((f) => f.sensitiveDataCategories))].sort(),
              types: [...new Set(findings.flatMap((f) => f.detectionTypes))].sort(),
            },
            sensitivityScore: profile?.sensitivityScore ?? null,
            automatedDiscoveryMonitoringStatus: (profile?.monitoringStatus as "MONITORED" | "NOT_MONITORED" | null) ?? null,
          }
        : null;
      const configVerdicts: ConfigVerdict[] = (configBy.get(k) ?? [])
        .filter((c) => c.region === b.region)
        .map((c) => ({
          sourceIdentifier: c.sourceIdentifier,
          ruleName: c.ruleName,
          complianceType: c.complianceType as ConfigVerdict["complianceType"],
          recordedAt: c.recordedAt.toISOString(),
          annotation: c.annotation,
        }));
      const level = resolveBucketLevel({
        scheme,
        tags: settings.tags,
        manual: b.classification
          ? { levelKey: b.classification.levelKey, by: b.classification.setBy.email, at: b.classification.setAt, reason: b.classification.reason }
          : null,
      });
      const evaluation = evaluateBucket({
        scheme,
        schemeVersion: version,
        input: {
          bucket: { name: b.name, arn: b.arn, region: b.region, accountId: b.accountId },
          settings,
          account: accountSettings.get(b.accountId)!,
          macie,
          trustedAccountIds: trusted,
        },
        level,
        waivers: b.waivers,
        configVerdicts,
        deployedConfigRules: deployedRules.get(regionKey) ?? null,
        now,
      });

      let failing = 0, unknownCount = 0, waived = 0, disagreements = 0;
      for (const r of evaluation.results) {
        if (r.required && r.status === "fail") failing++;
        if (r.required && r.status === "unknown") unknownCount++;
        if (r.required && r.status === "waived") waived++;
        if (r.config?.verdict === "disagree") disagreements++;
        resultRows.push({
          bucketId: b.id,
          controlId: r.controlId,
          required: r.required,
          status: r.status,
          observed: r.observed,
          reason: r.reason,
          evidence: r.evidence as Prisma.InputJsonValue,
          configVerdict: r.config?.verdict ?? null,
          configCompliance: r.config?.complianceType ?? null,
          waiverId: r.waiverId ?? null,
          schemeVersion: version,
          evaluatedAt: now,
        });
      }
      const tags = settings.tags.status === "present" ? settings.tags.value : {};
      updates.id.push(b.id);
      updates.level.push(evaluation.level.levelKey);
      updates.source.push(evaluation.level.source);
      updates.classified.push(evaluation.level.classified);
      updates.exposure.push(evaluation.exposure.publicRead.status);
      updates.publicWrite.push(evaluation.exposure.publicWrite.status);
      updates.risk.push(evaluation.risk.score);
      updates.failing.push(failing);
      updates.unknownCount.push(unknownCount);
      updates.waived.push(waived);
      updates.compliant.push(failing === 0 && unknownCount === 0);
      updates.macieMax.push(macie?.sensitiveFindings.maxSeverityScore ?? 0);
      updates.macieCount.push(findings.length);
      updates.disagreements.push(disagreements);
      updates.owner.push(OWNER_TAG_KEYS.map((t) => tags[t]).find((v) => v !== undefined) ?? null);
      updates.tags.push(JSON.stringify(tags));
      evaluated++;
    }

    const ids = updates.id;
    await client.$transaction([
      client.controlResult.deleteMany({ where: { bucketId: { in: ids } } }),
      client.controlResult.createMany({ data: resultRows }),
      client.$executeRaw`
        UPDATE bucket AS b SET
          level_key = u.level, level_source = u.source, classified = u.classified, exposure = u.exposure,
          public_write = u.public_write, risk_score = u.risk, failing_required = u.failing, unknown_required = u.unknown_count,
          waived_required = u.waived, compliant = u.compliant, macie_max_severity = u.macie_max, macie_findings = u.macie_count,
          config_disagreements = u.disagreements, owner_tag = u.owner, tags = u.tags::jsonb,
          evaluated_at = ${now}, scheme_version = ${version}
        FROM unnest(${ids}::int[], ${updates.level}::text[], ${updates.source}::text[], ${updates.classified}::boolean[],
                    ${updates.exposure}::text[], ${updates.publicWrite}::text[], ${updates.risk}::int[], ${updates.failing}::int[],
                    ${updates.unknownCount}::int[], ${updates.waived}::int[], ${updates.compliant}::boolean[],
                    ${updates.macieMax}::int[], ${updates.macieCount}::int[], ${updates.disagreements}::int[],
                    ${updates.owner}::text[], ${updates.tags}::text[])
          AS u(id, level, source, classified, exposure, public_write, risk, failing, unknown_count, waived, compliant,
               macie_max, macie_count, disagreements, owner, tags)
        WHERE b.id = u.id`,
    ]);
    await options.onBatch?.(evaluated);
  }
  return { evaluated, schemeVersion: version };
}
