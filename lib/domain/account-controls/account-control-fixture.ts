/** Test inputs for the account controls: a complete, passing account, changed per test. */
import type { AlertingInput } from "../alerting/bucket-change-alerting";
import type { AccountControlInput, PostureTrail, TrailBucket } from "./account-control";

export const OWNER = "111111111111";
export const MEMBER = "222222222222";
export const GROUP = "arn:aws:logs:eu-west-1:111111111111:log-group:org-trail:*";
export const TOPIC = "arn:aws:sns:eu-west-1:111111111111:security-alerts";
export const PATTERN =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
  "($.eventName = PutBucketCors) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors)) }";

export function trail(over: Partial<PostureTrail> = {}): PostureTrail {
  return {
    arn: `arn:aws:cloudtrail:eu-west-1:${OWNER}:trail/org-trail`,
    name: "org-trail",
    homeRegion: "eu-west-1",
    ownerAccountId: OWNER,
    isOrganizationTrail: true,
    isMultiRegion: true,
    logFileValidation: true,
    s3BucketName: "org-cloudtrail-logs",
    kmsKeyId: "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    logGroupArn: GROUP,
    status: { ok: true, value: { isLogging: true } },
    eventSelectors: {
      ok: true,
      value: {
        basic: [
          {
            ReadWriteType: "All",
            IncludeManagementEvents: true,
            DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }],
          },
        ],
        advanced: [],
      },
    },
    ...over,
  };
}

export function logBucket(over: Partial<Extract<TrailBucket, { found: true }>> = {}): TrailBucket {
  return {
    found: true,
    name: "org-cloudtrail-logs",
    accountId: "333333333333",
    logging: { status: "present", value: { targetBucket: "access-logs", targetPrefix: "org-cloudtrail-logs/" } },
    versioning: { status: "present", value: { status: "Enabled", mfaDelete: "Enabled" } },
    exposure: "not-public",
    publicWrite: "not-public",
    ...over,
  };
}

export function alerting(over: Partial<AlertingInput> = {}): AlertingInput {
  return {
    trails: {
      ok: true,
      value: [
        { name: "org-trail", isMultiRegion: true, isLogging: true, recordsManagementWrites: true, logGroupArn: GROUP },
      ],
    },
    metricFilters: {
      [GROUP]: {
        ok: true,
        value: [{ name: "s3-changes", pattern: PATTERN, metrics: [{ name: "S3BucketChanges", namespace: "CIS" }] }],
      },
    },
    alarms: {
      ok: true,
      value: [
        {
          name: "s3-changes-alarm",
          metricName: "S3BucketChanges",
          namespace: "CIS",
          actionsEnabled: true,
          alarmActions: [TOPIC],
        },
      ],
    },
    topics: { [TOPIC]: { ok: true, value: { arn: TOPIC, subscriptionArns: [`${TOPIC}:0b1c2d3e`] } } },
    ...over,
  };
}

/** A member account covered by the organisation trail (read by its owner), everything in place. */
export function input(over: Partial<AccountControlInput> = {}): AccountControlInput {
  return {
    accountId: MEMBER,
    trails: { ok: true, value: [trail()] },
    trailBuckets: { "org-cloudtrail-logs": logBucket() },
    alerting: alerting(),
    ...over,
  };
}
