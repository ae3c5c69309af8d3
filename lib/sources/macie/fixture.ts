/**
 * The fixture AWS's Amazon Macie: the session state of each region plan, findings made from the buckets' finding
 * plans, and per-bucket sensitivity profiles.
 */
import type {
  BucketMetadata,
  DescribeBucketsResponse,
  Finding,
  GetFindingsResponse,
  GetMacieSessionResponse,
  ListFindingsResponse,
} from "@aws-sdk/client-macie2";
import { Macie2ServiceException } from "@aws-sdk/client-macie2";
import {
  FIXTURE_REFERENCE_DATE,
  type FixtureBucket,
  type FixtureFindingPlan,
} from "@/lib/sources/fixture/bucket-traits";
import type { FixtureRegionPlan } from "@/lib/sources/fixture/estate";
import { hash32, stableHex } from "@/lib/sources/fixture/random";
import {
  bucketTags,
  DAY,
  decodeToken,
  encodeToken,
  fixtureServiceError,
  isPolicyPublic,
  memo,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const macieError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(Macie2ServiceException, name, httpStatusCode, message);

export const macieFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) =>
    answerMacie(world, world.estate.regionPlan(world.account.accountId, region), region, operation, input),
  throttlingError: () => macieError("ThrottlingException", 429, "Rate exceeded"),
};

function macieNotEnabled(): Error {
  return macieError("AccessDeniedException", 403, "Macie is not enabled.");
}

function findingsIn(world: FixtureAccountWorld, region: string): Finding[] {
  return memo(world, `findings|${region}`, () => {
    const out: Finding[] = [];
    for (const bucket of world.buckets) {
      if (bucket.region !== region) continue;
      bucket.findings.forEach((plan, k) => out.push(toFinding(world, bucket, plan, k)));
    }
    return out;
  });
}

const SEVERITY = { 1: "Low", 2: "Medium", 3: "High" } as const;

function toFinding(world: FixtureAccountWorld, bucket: FixtureBucket, plan: FixtureFindingPlan, k: number): Finding {
  const created = new Date(FIXTURE_REFERENCE_DATE - plan.ageDays * DAY - (hash32(bucket.name, k) % DAY));
  const bucketArn = `arn:aws:s3:::${bucket.name}`;
  const publicBucket = isPolicyPublic(bucket) || bucket.aclExtraGrants.some((g) => g.group === "AllUsers");
  const tags = Object.entries(bucketTags(bucket)).map(([key, value]) => ({ key, value }));
  const finding: Finding = {
    id: stableHex(32, world.estate.seed, bucket.name, k, plan.type),
    accountId: bucket.accountId,
    region: bucket.region,
    partition: "aws",
    type: plan.type as Finding["type"],
    category: plan.category,
    severity: { description: SEVERITY[plan.severityScore], score: plan.severityScore },
    title:
      plan.category === "CLASSIFICATION"
        ? `The S3 object contains ${plan.type.split("/")[1]?.toLowerCase()} information.`
        : `Policy finding on bucket ${bucket.name}`,
    description:
      plan.category === "CLASSIFICATION"
        ? `The object contains sensitive data (${plan.sensitiveData.map((s) => s.category).join(", ")}).`
        : `Amazon Macie detected ${plan.type} for the bucket.`,
    count: plan.category === "CLASSIFICATION" ? 1 : 1 + (hash32(bucket.name, plan.type) % 3),
    archived: plan.archived,
    sample: false,
    createdAt: created,
    updatedAt: plan.category === "CLASSIFICATION" ? created : new Date(created.getTime() + 2 * DAY),
    schemaVersion: "1.0",
    resourcesAffected: {
      s3Bucket: {
        name: bucket.name,
        arn: bucketArn,
        createdAt: new Date(bucket.createdAt),
        owner: { id: world.canonicalUserId, displayName: world.account.name },
        publicAccess: { effectivePermission: publicBucket ? "PUBLIC" : "NOT_PUBLIC" },
        defaultServerSideEncryption: {
          encryptionType: bucket.encryption ? (bucket.encryption.algorithm as "AES256") : "NONE",
        },
        allowsUnencryptedObjectUploads: "TRUE",
        tags,
      },
      ...(plan.objectKey
        ? {
            s3Object: {
              bucketArn,
              key: plan.objectKey,
              path: `${bucket.name}/${plan.objectKey}`,
              extension: plan.objectKey.split(".").pop() ?? "",
              size: 1024 + (hash32(plan.objectKey) % 50_000_000),
              storageClass: "STANDARD",
              publicAccess: publicBucket,
              lastModified: new Date(created.getTime() - DAY),
            },
          }
        : {}),
    },
  };
  if (plan.category === "CLASSIFICATION") {
    finding.classificationDetails = {
      originType: "AUTOMATED_SENSITIVE_DATA_DISCOVERY",
      detailedResultsLocation: `s3://${world.account.name}-macie-results/AWSLogs/${bucket.accountId}/Macie/${bucket.region}/`,
      result: {
        status: { code: "COMPLETE" },
        mimeType: "text/csv",
        sizeClassified: 1024 + (hash32(bucket.name, k, "size") % 10_000_000),
        additionalOccurrences: false,
        sensitiveData: plan.sensitiveData.map((s) => ({
          category: s.category as "PERSONAL_INFORMATION",
          totalCount: s.detections.reduce((n, d) => n + d.count, 0),
          detections: s.detections.map((d) => ({ type: d.type, count: d.count })),
        })),
        customDataIdentifiers: { totalCount: 0, detections: [] },
      },
    };
  } else {
    finding.policyDetails = {
      action: {
        actionType: "AWS_API_CALL",
        apiCallDetails: {
          api: plan.type.includes("BlockPublicAccess") ? "DeletePublicAccessBlock" : "PutBucketPolicy",
          apiServiceName: "s3.amazonaws.com",
          firstSeen: created,
          lastSeen: created,
        },
      },
    };
  }
  return finding;
}

function matchesCriteria(
  finding: Finding,
  criterion: Record<string, { eq?: string[]; neq?: string[] }> | undefined,
): boolean {
  if (!criterion) return true;
  for (const [field, condition] of Object.entries(criterion)) {
    const value =
      field === "category"
        ? finding.category
        : field === "archived"
          ? String(finding.archived)
          : field === "accountId"
            ? finding.accountId
            : field === "type"
              ? finding.type
              : field === "resourcesAffected.s3Bucket.name"
                ? finding.resourcesAffected?.s3Bucket?.name
                : field === "severity.description"
                  ? finding.severity?.description
                  : undefined;
    if (value === undefined)
      throw macieError("ValidationException", 400, `The fixture does not support the criterion field ${field}`);
    if (condition.eq && !condition.eq.includes(value)) return false;
    if (condition.neq && condition.neq.includes(value)) return false;
  }
  return true;
}

const MACIE_MAX_GET_FINDINGS = 50;

function bucketMetadata(
  world: FixtureAccountWorld,
  bucket: FixtureBucket,
  findings: Finding[],
  paused: boolean,
): BucketMetadata {
  const active = findings.filter(
    (f) => f.category === "CLASSIFICATION" && !f.archived && f.resourcesAffected?.s3Bucket?.name === bucket.name,
  );
  const h = hash32(world.estate.seed, bucket.name, "profile");
  const maxSeverity = Math.max(0, ...active.map((f) => f.severity?.score ?? 0));
  const objects = 10 + (h % 250_000);
  return {
    accountId: bucket.accountId,
    bucketName: bucket.name,
    bucketArn: `arn:aws:s3:::${bucket.name}`,
    region: bucket.region,
    bucketCreatedAt: new Date(bucket.createdAt),
    lastUpdated: new Date(FIXTURE_REFERENCE_DATE - DAY),
    classifiableObjectCount: Math.floor(objects * 0.8),
    classifiableSizeInBytes: Math.floor(objects * 0.8) * (4096 + (h % 100_000)),
    objectCount: objects,
    sizeInBytes: objects * (4096 + (h % 120_000)),
    // Automated discovery scores: higher when sensitive data was found; 50 = not analysed recently (paused).
    sensitivityScore: paused ? 50 : active.length > 0 ? 60 + maxSeverity * 10 + (h % 10) : 1 + (h % 40),
    automatedDiscoveryMonitoringStatus: paused ? "NOT_MONITORED" : "MONITORED",
    ...(paused ? {} : { lastAutomatedDiscoveryTime: new Date(FIXTURE_REFERENCE_DATE - (h % 7) * DAY) }),
    publicAccess: {
      effectivePermission:
        isPolicyPublic(bucket) || bucket.aclExtraGrants.some((g) => g.group === "AllUsers") ? "PUBLIC" : "NOT_PUBLIC",
    },
    serverSideEncryption: { type: bucket.encryption ? (bucket.encryption.algorithm as "AES256") : "NONE" },
    sharedAccess: bucket.policy?.some((s) => s.kind === "cross-account-read" && s.external)
      ? "EXTERNAL"
      : bucket.policy?.some((s) => s.kind === "cross-account-read")
        ? "INTERNAL"
        : "NOT_SHARED",
    versioning: bucket.versioning === "Enabled",
    tags: Object.entries(bucketTags(bucket)).map(([key, value]) => ({ key, value })),
  };
}

export function answerMacie(
  world: FixtureAccountWorld,
  plan: FixtureRegionPlan,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  if (plan.macie === "DISABLED") {
    if (["GetMacieSession", "ListFindings", "GetFindings", "DescribeBuckets"].includes(operation))
      throw macieNotEnabled();
    throw new UnsupportedFixtureOperationError("macie", operation);
  }
  switch (operation) {
    case "GetMacieSession":
      return {
        status: plan.macie,
        createdAt: new Date(FIXTURE_REFERENCE_DATE - 500 * DAY),
        updatedAt: new Date(FIXTURE_REFERENCE_DATE - 10 * DAY),
        findingPublishingFrequency: "FIFTEEN_MINUTES",
        serviceRole: `arn:aws:iam::${world.account.accountId}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
      } satisfies GetMacieSessionResponse;
    case "ListFindings": {
      const criterion = (
        input.findingCriteria as { criterion?: Record<string, { eq?: string[]; neq?: string[] }> } | undefined
      )?.criterion;
      const matching = findingsIn(world, region).filter((f) => matchesCriteria(f, criterion));
      const pageSize = typeof input.maxResults === "number" ? input.maxResults : 50;
      const offset = decodeToken(input.nextToken as string | undefined, (message) =>
        macieError("ValidationException", 400, message),
      );
      const out: ListFindingsResponse = {
        findingIds: matching.slice(offset, offset + pageSize).map((f) => f.id as string),
      };
      if (offset + pageSize < matching.length) out.nextToken = encodeToken(offset + pageSize);
      return out;
    }
    case "GetFindings": {
      const ids = Array.isArray(input.findingIds) ? (input.findingIds as string[]) : [];
      if (ids.length > MACIE_MAX_GET_FINDINGS)
        throw macieError("ValidationException", 400, `findingIds must contain at most ${MACIE_MAX_GET_FINDINGS} items`);
      const byId = memo(
        world,
        `findingsById|${region}`,
        () => new Map(findingsIn(world, region).map((f) => [f.id, f])),
      );
      return {
        findings: ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as Finding] : [])),
      } satisfies GetFindingsResponse;
    }
    case "DescribeBuckets": {
      const criteria = input.criteria as Record<string, { eq?: string[] }> | undefined;
      const accountFilter = criteria?.accountId?.eq;
      const findings = findingsIn(world, region);
      const buckets = world.buckets.filter(
        (b) => b.region === region && (!accountFilter || accountFilter.includes(b.accountId)),
      );
      const pageSize = typeof input.maxResults === "number" ? input.maxResults : 50;
      const offset = decodeToken(input.nextToken as string | undefined, (message) =>
        macieError("ValidationException", 400, message),
      );
      const out: DescribeBucketsResponse = {
        buckets: buckets
          .slice(offset, offset + pageSize)
          .map((b) => bucketMetadata(world, b, findings, plan.macie === "PAUSED")),
      };
      if (offset + pageSize < buckets.length) out.nextToken = encodeToken(offset + pageSize);
      return out;
    }
    default:
      throw new UnsupportedFixtureOperationError("macie", operation);
  }
}
