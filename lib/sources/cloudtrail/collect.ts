/**
 * CloudTrail collector for one account: every trail that logs this account's activity, with its status and event
 * selectors — the audit trail that says who changed a bucket, and the start of the bucket-change alerting chain.
 *
 * One DescribeTrails in the home region with includeShadowTrails lists the trails homed there plus the shadows of
 * every multi-region trail homed elsewhere, organisation trails included; a single-region trail of another region
 * is not listed, and it could not log "all regions" anyway. GetTrailStatus and GetEventSelectors go to the trail's
 * home region, by ARN (AWS's way to name a shadow). An organisation trail belongs to the management account: a
 * member records that it is covered by it and does not ask for its status — the management account's sync does,
 * so the trail is counted once, where it lives.
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { AdvancedEventSelector, EventSelector } from "@/lib/domain/audit-trail/event-selector-types";
import { describeAwsError, settleIn } from "@/lib/sources/shared/aws-call-result";
import type { AccountClients, AwsService } from "@/lib/sources/shared/connector";

/** The CloudTrail client of an account and region. */
export const cloudtrailService: AwsService<CloudTrailClient> = {
  key: "cloudtrail",
  create: (config) => new CloudTrailClient(config),
};

/** A fact read from AWS, or why it could not be read ("<ErrorName>: <message>"). */
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface TrailStatusRecord {
  isLogging: boolean;
  latestDeliveryError: string | null;
  latestDeliveryTime: string | null;
  latestCloudWatchLogsDeliveryError: string | null;
  latestCloudWatchLogsDeliveryTime: string | null;
}

export interface EventSelectorsRecord {
  basic: EventSelector[];
  advanced: AdvancedEventSelector[];
}

export interface TrailRecord {
  arn: string;
  name: string;
  homeRegion: string;
  /** The account the trail belongs to (from its ARN): the management account for an organisation trail. */
  ownerAccountId: string;
  isOrganizationTrail: boolean;
  isMultiRegion: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidation: boolean;
  s3BucketName: string | null;
  s3KeyPrefix: string | null;
  kmsKeyId: string | null;
  cloudWatchLogsLogGroupArn: string | null;
  snsTopicArn: string | null;
  /** Not read (null) for a trail another account owns: its owner's sync reads it. */
  status: Read<TrailStatusRecord> | null;
  eventSelectors: Read<EventSelectorsRecord> | null;
}

export interface CloudTrailCollection {
  trails: TrailRecord[];
  /** DescribeTrails failed: nothing is known, and the last good trails are kept. */
  error: { code: string; message: string } | null;
}

const accountOfArn = (arn: string) => arn.split(":")[4] ?? "";
const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : null);

export async function collectCloudTrailAccount(
  clients: AccountClients,
  ctx: { accountId: string; homeRegion: string },
): Promise<CloudTrailCollection> {
  const listed = await settleIn(
    ctx.homeRegion,
    clients.get(cloudtrailService, ctx.homeRegion).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
  );
  if (!listed.ok) return { trails: [], error: { code: listed.error.name, message: listed.error.message } };

  const trails = await Promise.all(
    (listed.output.trailList ?? [])
      .filter((t): t is Trail & { TrailARN: string } => typeof t.TrailARN === "string")
      .map(async (t): Promise<TrailRecord> => {
        const ownerAccountId = accountOfArn(t.TrailARN);
        const homeRegion = t.HomeRegion ?? ctx.homeRegion;
        const base: Omit<TrailRecord, "status" | "eventSelectors"> = {
          arn: t.TrailARN,
          name: t.Name ?? t.TrailARN,
          homeRegion,
          ownerAccountId,
          isOrganizationTrail: t.IsOrganizationTrail === true,
          isMultiRegion: t.IsMultiRegionTrail === true,
          includeGlobalServiceEvents: t.IncludeGlobalServiceEvents === true,
          logFileValidation: t.LogFileValidationEnabled === true,
          s3BucketName: t.S3BucketName ?? null,
          s3KeyPrefix: t.S3KeyPrefix ?? null,
          kmsKeyId: t.KmsKeyId ?? null,
          cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn ?? null,
          snsTopicArn: t.SnsTopicARN ?? null,
        };
        if (ownerAccountId !== ctx.accountId) return { ...base, status: null, eventSelectors: null };
        const client = clients.get(cloudtrailService, homeRegion);
        const [status, selectors] = await Promise.all([
          settleIn(homeRegion, client.send(new GetTrailStatusCommand({ Name: t.TrailARN }))),
          settleIn(homeRegion, client.send(new GetEventSelectorsCommand({ TrailName: t.TrailARN }))),
        ]);
        return {
          ...base,
          status: status.ok
            ? {
                ok: true,
                value: {
                  isLogging: status.output.IsLogging === true,
                  latestDeliveryError: status.output.LatestDeliveryError ?? null,
                  latestDeliveryTime: iso(status.output.LatestDeliveryTime),
                  latestCloudWatchLogsDeliveryError: status.output.LatestCloudWatchLogsDeliveryError ?? null,
                  latestCloudWatchLogsDeliveryTime: iso(status.output.LatestCloudWatchLogsDeliveryTime),
                },
              }
            : { ok: false, reason: describeAwsError(status.error) },
          eventSelectors: selectors.ok
            ? {
                ok: true,
                value: {
                  basic: selectors.output.EventSelectors ?? [],
                  advanced: selectors.output.AdvancedEventSelectors ?? [],
                },
              }
            : { ok: false, reason: describeAwsError(selectors.error) },
        };
      }),
  );
  return { trails, error: null };
}
