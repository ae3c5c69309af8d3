/**
 * load + cleanup for the AWS Config and Macie collectors, per account and region. A region's earlier rows are
 * replaced only when its collection completed (error === null): a failed read never deletes the last good data.
 * Region status (recorder state, Macie enabled/disabled and why) is kept in AccountRegion for the freshness view
 * and for evaluation (Macie disabled → Macie-based controls unknown, with the reason).
 */
import type { ConfigRegionCollection } from "@/lib/collectors/config";
import type { MacieRegionCollection } from "@/lib/collectors/macie";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";

const CHUNK = 1_000;

async function markRegion(
  client: Db | Prisma.TransactionClient,
  key: { accountId: string; region: string; collector: string },
  readAt: Date,
  error: { code: string; message: string } | null,
  status: Prisma.InputJsonValue,
) {
  const where = { accountId_region_collector: key };
  const success = error === null;
  await client.accountRegion.upsert({
    where,
    create: { ...key, lastAttemptAt: readAt, lastSuccessAt: success ? readAt : null, lastError: error ? `${error.code}: ${error.message}` : null, status },
    update: {
      lastAttemptAt: readAt,
      ...(success ? { lastSuccessAt: readAt, lastError: null, status } : { lastError: `${error.code}: ${error.message}` }),
    },
  });
}

export async function loadConfigRegion(
  client: Db,
  input: { syncRunId: string; accountId: string; region: string; readAt: Date; collection: ConfigRegionCollection },
) {
  const { syncRunId, accountId, region, readAt, collection } = input;
  const status = {
    recorder: collection.recorder,
    deployedRules: collection.rules.map((r) => ({ ruleName: r.ruleName, sourceIdentifier: r.sourceIdentifier })),
  } as unknown as Prisma.InputJsonValue;
  if (collection.error) {
    await markRegion(client, { accountId, region, collector: "config" }, readAt, collection.error, status);
    return { written: 0 };
  }
  await client.$transaction(async (tx) => {
    await tx.configEvaluation.deleteMany({ where: { accountId, region } });
    for (let i = 0; i < collection.evaluations.length; i += CHUNK) {
      await tx.configEvaluation.createMany({
        data: collection.evaluations.slice(i, i + CHUNK).map((e) => ({
          accountId,
          region,
          ruleName: e.ruleName,
          sourceIdentifier: e.sourceIdentifier,
          bucketName: e.bucketName,
          complianceType: e.complianceType,
          recordedAt: new Date(e.recordedAt),
          annotation: e.annotation,
          syncRunId,
        })),
        skipDuplicates: true,
      });
    }
    await markRegion(tx, { accountId, region, collector: "config" }, readAt, null, status);
  });
  return { written: collection.evaluations.length };
}

export async function loadMacieRegion(
  client: Db,
  input: { syncRunId: string; accountId: string; region: string; readAt: Date; collection: MacieRegionCollection },
) {
  const { syncRunId, accountId, region, readAt, collection } = input;
  const status = collection.session as unknown as Prisma.InputJsonValue;
  if (collection.error || collection.session.status === "unknown") {
    const error = collection.error ?? {
      code: collection.session.status === "unknown" ? collection.session.errorCode : "Unknown",
      message: collection.session.status === "unknown" ? collection.session.reason : "",
    };
    await markRegion(client, { accountId, region, collector: "macie" }, readAt, error, status);
    return { written: 0 };
  }
  await client.$transaction(async (tx) => {
    // Findings: upsert what Macie returned; rows for this region that Macie no longer returns are removed
    // (archived or expired after Macie's 90-day retention).
    const ids = collection.findings.map((f) => f.id);
    await tx.macieFinding.deleteMany({ where: { accountId, region, id: { notIn: ids } } });
    for (let i = 0; i < collection.findings.length; i += CHUNK) {
      const part = collection.findings.slice(i, i + CHUNK);
      await tx.$executeRaw`
        INSERT INTO macie_finding (id, account_id, region, bucket_name, type, category, severity, severity_score, count,
               sensitive_data_categories, detection_types, created_at, updated_at, archived, first_seen_at, last_seen_sync_id)
        SELECT u.id, ${accountId}, ${region}, u.bucket_name, u.type, u.category, u.severity, u.severity_score, u.count,
               string_to_array(u.cats, '|'), string_to_array(u.types, '|'), u.created_at, u.updated_at, u.archived,
               ${readAt}, ${syncRunId}::uuid
          FROM unnest(${part.map((f) => f.id)}::text[], ${part.map((f) => f.bucketName)}::text[], ${part.map((f) => f.type)}::text[],
                      ${part.map((f) => f.category)}::text[], ${part.map((f) => f.severity)}::text[],
                      ${part.map((f) => f.severityScore)}::int[], ${part.map((f) => f.count)}::int[],
                      ${part.map((f) => f.sensitiveDataCategories.join("|"))}::text[], ${part.map((f) => f.detectionTypes.join("|"))}::text[],
                      ${part.map((f) => new Date(f.createdAt))}::timestamp[], ${part.map((f) => new Date(f.updatedAt))}::timestamp[],
                      ${part.map((f) => f.archived)}::boolean[])
               AS u(id, bucket_name, type, category, severity, severity_score, count, cats, types, created_at, updated_at, archived)
        ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, severity_score = EXCLUDED.severity_score,
               count = EXCLUDED.count, updated_at = EXCLUDED.updated_at, archived = EXCLUDED.archived,
               sensitive_data_categories = EXCLUDED.sensitive_data_categories, detection_types = EXCLUDED.detection_types,
               last_seen_sync_id = EXCLUDED.last_seen_sync_id`;
    }
    const names = collection.bucketProfiles.map((p) => p.bucketName);
    await tx.macieBucketProfile.deleteMany({ where: { accountId, region, bucketName: { notIn: names } } });
    for (const p of collection.bucketProfiles) {
      const data = {
        region,
        sensitivityScore: p.sensitivityScore,
        classifiableObjectCount: BigInt(p.classifiableObjectCount),
        classifiableSizeInBytes: BigInt(p.classifiableSizeInBytes),
        lastAutomatedDiscoveryTime: p.lastAutomatedDiscoveryTime ? new Date(p.lastAutomatedDiscoveryTime) : null,
        monitoringStatus: p.monitoringStatus,
        syncRunId,
      };
      await tx.macieBucketProfile.upsert({
        where: { accountId_bucketName: { accountId, bucketName: p.bucketName } },
        create: { accountId, bucketName: p.bucketName, ...data },
        update: data,
      });
    }
    await markRegion(tx, { accountId, region, collector: "macie" }, readAt, null, status);
  });
  return { written: collection.findings.length };
}
