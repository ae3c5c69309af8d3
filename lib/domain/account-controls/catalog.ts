/**
 * Every account control, in the order the posture pages show them: the trail, what it records, its log bucket, its
 * encryption, then the alerting chain. Evaluation (lib/evaluation/evaluate-account-controls.ts) and the pages iterate
 * this list: a new account control is its file, its test and one line here.
 */
import { regionNotEnabledIn } from "../regions/region-not-enabled";
import type { AccountControl, AccountControlVerdict } from "./account-control";
import { bucketChangeAlerting } from "./bucket-change-alerting";
import { logFileValidation } from "./log-file-validation";
import { s3DataEventsRead } from "./s3-data-events-read";
import { s3DataEventsWrite } from "./s3-data-events-write";
import { trailBucketAccessLogging } from "./trail-bucket-access-logging";
import { trailBucketMfaDelete } from "./trail-bucket-mfa-delete";
import { trailBucketNotPublic } from "./trail-bucket-not-public";
import { trailKmsEncryption } from "./trail-kms-encryption";
import { trailMultiRegion } from "./trail-multi-region";

export const ACCOUNT_CONTROL_CATALOG = [
  trailMultiRegion,
  logFileValidation,
  s3DataEventsWrite,
  s3DataEventsRead,
  trailBucketAccessLogging,
  trailBucketNotPublic,
  trailBucketMfaDelete,
  trailKmsEncryption,
  bucketChangeAlerting,
] as const satisfies readonly AccountControl[];

export type AccountControlId = (typeof ACCOUNT_CONTROL_CATALOG)[number]["id"];

export const ACCOUNT_CONTROL_IDS = ACCOUNT_CONTROL_CATALOG.map((c) => c.id) as readonly AccountControlId[] as readonly [
  AccountControlId,
  ...AccountControlId[],
];

/** A failing one means the account has no working audit trail: the overview's "broken trail". */
export const BROKEN_TRAIL_CONTROL_ID: AccountControlId = "trail-multi-region";
/** A failing one means nobody would be told of a bucket change: the overview's "broken alerting chain". */
export const BROKEN_CHAIN_CONTROL_ID: AccountControlId = "bucket-change-alerting";

export function evaluateAccountControls(input: Parameters<(typeof ACCOUNT_CONTROL_CATALOG)[number]["evaluate"]>[0]) {
  return ACCOUNT_CONTROL_CATALOG.map((c) => ({
    controlId: c.id as AccountControlId,
    ...regionNotEnabledAsSuch(c.evaluate(input)),
  }));
}

/**
 * A control that could not judge because a read was refused for a region the account has not enabled says that,
 * in every control alike: the reads carry it in their reason ("RegionNotEnabled: region … is not enabled …"). A
 * failure found elsewhere still fails; only an `unknown` verdict is re-worded.
 */
export function regionNotEnabledAsSuch(v: AccountControlVerdict): AccountControlVerdict {
  if (v.status !== "unknown") return v;
  const region = regionNotEnabledIn(v.reason);
  if (!region) return v;
  return {
    status: "region-not-enabled",
    reason: `region ${region} is not enabled in this account, so nothing there can be read or judged (${v.reason})`,
    evidence: { ...v.evidence, regionNotEnabled: region },
  };
}
