/**
 * The fixture AWS's CloudTrail, derived from the estate (the estate generator does not change):
 *   - the management account owns an organisation trail, multi-region, logging, with log-file validation, S3 data
 *     events for all buckets, KMS-encrypted logs delivered to the log-archive account's first bucket — and to no
 *     CloudWatch Logs group; every account of the organisation lists it (as a shadow outside its home region);
 *   - about one account in four also has its own single-region trail that was stopped, without validation and
 *     with write-only management events — the kind of leftover an audit finds;
 *   - every account (the management account too) has its own multi-region "security-alerts" trail delivering to a
 *     CloudWatch Logs group of its own, except a member whose alerting flaw is "no-trail"
 *     (lib/sources/fixture/alerting-flaws.ts; lib/sources/logs/fixture.ts builds each chain).
 *
 * Why the organisation trail feeds no log group: had it one, CloudTrail would deliver every member's events into it
 * (in the management account), a metric filter and alarm there would alert on a member's bucket change too, and the
 * evaluation rightly counts that chain for every member — one complete chain would make every account pass. This
 * organisation alerts per account instead (as Security Hub judges CloudWatch.8), so the accounts' chains differ.
 */
import {
  CloudTrailServiceException,
  type DescribeTrailsResponse,
  type GetEventSelectorsResponse,
  type GetTrailStatusResponse,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import { FIXTURE_REFERENCE_DATE } from "@/lib/sources/fixture/bucket-traits";
import type { FixtureEstate } from "@/lib/sources/fixture/estate";
import { alertingFlawOf } from "@/lib/sources/fixture/alerting-flaws";
import { hash32, stableHex } from "@/lib/sources/fixture/random";
import {
  DAY,
  fixtureServiceError,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const cloudtrailError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(CloudTrailServiceException, name, httpStatusCode, message);

export const cloudtrailFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) => answerCloudTrail(world, region, operation, input),
  throttlingError: () => cloudtrailError("ThrottlingException", 400, "Rate exceeded"),
};

interface FixtureTrail {
  trail: Trail & { TrailARN: string; HomeRegion: string };
  status: GetTrailStatusResponse;
  selectors: GetEventSelectorsResponse;
}

/** The account that holds the organisation's logs: the second account (the demo's acme-log-archive), if any. */
function logArchiveAccountId(estate: FixtureEstate): string {
  return estate.accounts[1]?.accountId ?? estate.managementAccountId;
}

/** The organisation trail, owned by the management account. */
export function organizationTrail(estate: FixtureEstate): FixtureTrail {
  const owner = estate.managementAccountId;
  const home = estate.accounts[0]?.homeRegion ?? estate.regions[0] ?? "us-east-1";
  const arn = `arn:aws:cloudtrail:${home}:${owner}:trail/organization-trail`;
  const logBucket = estate.bucketsOf(logArchiveAccountId(estate))[0]?.name ?? `cloudtrail-logs-${owner}`;
  const keyId = [8, 4, 4, 4, 12].map((n, i) => stableHex(n, "trail-key", owner, i)).join("-");
  const delivered = new Date(FIXTURE_REFERENCE_DATE - 5 * 60_000);
  return {
    trail: {
      Name: "organization-trail",
      S3BucketName: logBucket,
      S3KeyPrefix: "cloudtrail",
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: home,
      TrailARN: arn,
      LogFileValidationEnabled: true,
      KmsKeyId: `arn:aws:kms:${home}:${owner}:key/${keyId}`,
      HasCustomEventSelectors: true,
      HasInsightSelectors: false,
      IsOrganizationTrail: true,
    },
    status: {
      IsLogging: true,
      LatestDeliveryTime: delivered,
      StartLoggingTime: new Date(FIXTURE_REFERENCE_DATE - 400 * DAY),
      LatestDigestDeliveryTime: delivered,
    },
    selectors: {
      TrailARN: arn,
      EventSelectors: [
        {
          ReadWriteType: "All",
          IncludeManagementEvents: true,
          DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }],
          ExcludeManagementEventSources: [],
        },
      ],
    },
  };
}

/** The account's own leftover trail, for about one account in four (never the management account). */
export function leftoverTrail(estate: FixtureEstate, accountId: string, home: string): FixtureTrail | null {
  if (accountId === estate.managementAccountId || hash32("leftover-trail", accountId) % 4 !== 1) return null;
  const arn = `arn:aws:cloudtrail:${home}:${accountId}:trail/legacy-audit`;
  return {
    trail: {
      Name: "legacy-audit",
      S3BucketName: `legacy-audit-logs-${accountId}`,
      IncludeGlobalServiceEvents: false,
      IsMultiRegionTrail: false,
      HomeRegion: home,
      TrailARN: arn,
      LogFileValidationEnabled: false,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    },
    status: {
      IsLogging: false,
      StartLoggingTime: new Date(FIXTURE_REFERENCE_DATE - 900 * DAY),
      StopLoggingTime: new Date(FIXTURE_REFERENCE_DATE - 200 * DAY),
      LatestDeliveryTime: new Date(FIXTURE_REFERENCE_DATE - 200 * DAY),
    },
    selectors: {
      TrailARN: arn,
      EventSelectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true, DataResources: [] }],
    },
  };
}

/** An account's own alerting trail: multi-region, logging management events to its own log group. */
export function securityAlertsTrail(estate: FixtureEstate, accountId: string, home: string): FixtureTrail | null {
  if (alertingFlawOf(estate, accountId) === "no-trail") return null;
  const arn = `arn:aws:cloudtrail:${home}:${accountId}:trail/security-alerts`;
  const delivered = new Date(FIXTURE_REFERENCE_DATE - 7 * 60_000);
  // The management account's own trail keeps its logs where the organisation trail does: the log-archive bucket,
  // encrypted with the organisation trail's key (its account's posture is the complete one).
  const org = accountId === estate.managementAccountId ? organizationTrail(estate).trail : null;
  return {
    trail: {
      Name: "security-alerts",
      S3BucketName: org?.S3BucketName ?? `security-alerts-trail-${accountId}`,
      ...(org?.KmsKeyId ? { KmsKeyId: org.KmsKeyId } : {}),
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: home,
      TrailARN: arn,
      LogFileValidationEnabled: true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${home}:${accountId}:log-group:security-alerts-trail:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/CloudTrailToCloudWatchLogs`,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    },
    status: {
      IsLogging: true,
      LatestDeliveryTime: delivered,
      LatestCloudWatchLogsDeliveryTime: delivered,
      StartLoggingTime: new Date(FIXTURE_REFERENCE_DATE - 300 * DAY),
    },
    selectors: {
      TrailARN: arn,
      EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] }],
    },
  };
}

/** Every trail the account's DescribeTrails can list, wherever it is homed. */
function trailsOf(world: FixtureAccountWorld): FixtureTrail[] {
  const { accountId, homeRegion } = world.account;
  const own = [
    leftoverTrail(world.estate, accountId, homeRegion),
    securityAlertsTrail(world.estate, accountId, homeRegion),
  ];
  return [organizationTrail(world.estate), ...own.filter((t): t is FixtureTrail => t !== null)];
}

export function answerCloudTrail(
  world: FixtureAccountWorld,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  const trails = trailsOf(world);
  const byArn = (name: unknown) => {
    const found = trails.find(
      (t) => t.trail.TrailARN === name || (t.trail.HomeRegion === region && t.trail.Name === name),
    );
    // CloudTrail answers for the caller's own trails; an organisation trail's status is its owner's to read.
    if (!found || !found.trail.TrailARN.includes(`:${world.account.accountId}:`)) {
      throw cloudtrailError("TrailNotFoundException", 400, `Unknown trail: ${String(name)} for the user`);
    }
    return found;
  };
  switch (operation) {
    case "DescribeTrails": {
      const shadows = input.includeShadowTrails !== false;
      const listed = trails.filter((t) => t.trail.HomeRegion === region || (shadows && t.trail.IsMultiRegionTrail));
      return { trailList: listed.map((t) => t.trail) } satisfies DescribeTrailsResponse;
    }
    case "GetTrailStatus":
      return byArn(input.Name).status;
    case "GetEventSelectors":
      return byArn(input.TrailName).selectors;
    default:
      throw new UnsupportedFixtureOperationError("cloudtrail", operation);
  }
}
