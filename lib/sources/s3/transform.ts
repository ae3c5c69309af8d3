/**
 * Pure transforms: one raw S3 response (or the error it failed with) → one domain Setting. No I/O, no SDK clients;
 * only response *types* are imported, so these functions are tested directly on AWS-documented shapes.
 *
 * The rule for errors, everywhere: AWS's "this setting is not configured" codes → absent; anything else
 * (AccessDenied, 405 MethodNotAllowed, throttling past retries, redirects, network) → unknown with the reason.
 */
import type {
  GetBucketAclOutput,
  GetBucketEncryptionOutput,
  GetBucketLifecycleConfigurationOutput,
  GetBucketLoggingOutput,
  GetBucketOwnershipControlsOutput,
  GetBucketPolicyOutput,
  GetBucketPolicyStatusOutput,
  GetBucketReplicationOutput,
  GetBucketTaggingOutput,
  GetBucketVersioningOutput,
  GetObjectLockConfigurationOutput,
} from "@aws-sdk/client-s3";
import {
  absent,
  present,
  unknown,
  type AclGrant,
  type AclGranteeType,
  type AclPermission,
  type AclSettings,
  type EncryptionSettings,
  type LifecycleSettings,
  type LoggingSettings,
  type ObjectLockSettings,
  type ObjectOwnership,
  type PolicySettings,
  type PublicAccessBlock,
  type ReplicationSettings,
  type Setting,
  type VersioningSettings,
} from "@/lib/domain/bucket-settings";
import { describeAwsError, type AwsCallError } from "@/lib/sources/shared/aws-call-result";

/** The brief's input shape for every transform: what the get step captured. */
export type S3CallResult<T> = { ok: true; output: T } | { ok: false; error: AwsCallError };

/** Error codes with which S3 says "this setting is not configured on the bucket". */
export const ABSENT_SETTING_ERRORS = {
  encryption: "ServerSideEncryptionConfigurationNotFoundError",
  publicAccessBlock: "NoSuchPublicAccessBlockConfiguration",
  policy: "NoSuchBucketPolicy",
  // GetBucketPolicyStatus answers NoSuchBucketPolicy when the bucket has no policy at all.
  policyStatus: "NoSuchBucketPolicy",
  ownershipControls: "OwnershipControlsNotFoundError",
  tags: "NoSuchTagSet",
  objectLock: "ObjectLockConfigurationNotFoundError",
  lifecycle: "NoSuchLifecycleConfiguration",
  replication: "ReplicationConfigurationNotFoundError",
} as const;

function fromError<T>(error: AwsCallError, absentCode: string | null): Setting<T> {
  if (absentCode !== null && error.name === absentCode) return absent(absentCode);
  return unknown(describeAwsError(error), error.name);
}

export function transformEncryption(result: S3CallResult<GetBucketEncryptionOutput>): Setting<EncryptionSettings> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.encryption);
  const rules = (result.output.ServerSideEncryptionConfiguration?.Rules ?? []).flatMap((rule) => {
    const def = rule.ApplyServerSideEncryptionByDefault;
    if (!def?.SSEAlgorithm) return [];
    return [
      {
        algorithm: def.SSEAlgorithm,
        kmsKeyId: def.KMSMasterKeyID ?? null,
        bucketKeyEnabled: rule.BucketKeyEnabled === true,
      },
    ];
  });
  // A configuration without any default-encryption rule encrypts nothing by default: same as not configured.
  return rules.length > 0 ? present({ rules }) : absent();
}

export function transformVersioning(result: S3CallResult<GetBucketVersioningOutput>): Setting<VersioningSettings> {
  if (!result.ok) return fromError(result.error, null);
  // AWS omits Status on never-versioned buckets and MFADelete when it was never configured: that is an answer
  // ("Off"), not a failure to read.
  const status =
    result.output.Status === "Enabled" || result.output.Status === "Suspended" ? result.output.Status : "Off";
  const mfa = result.output.MFADelete;
  const mfaDelete = mfa === "Enabled" || mfa === "Disabled" ? mfa : "Off";
  return present({ status, mfaDelete });
}

export function transformLogging(result: S3CallResult<GetBucketLoggingOutput>): Setting<LoggingSettings> {
  if (!result.ok) return fromError(result.error, null);
  const enabled = result.output.LoggingEnabled;
  // LoggingEnabled is omitted when server access logging is off; there is no error code for that.
  if (!enabled?.TargetBucket) return absent();
  return present({ targetBucket: enabled.TargetBucket, targetPrefix: enabled.TargetPrefix ?? "" });
}

/** Same four booleans for the bucket (S3) and the account (S3 Control); structural so both outputs fit. */
export interface PublicAccessBlockOutputShape {
  PublicAccessBlockConfiguration?:
    | {
        BlockPublicAcls?: boolean | undefined;
        IgnorePublicAcls?: boolean | undefined;
        BlockPublicPolicy?: boolean | undefined;
        RestrictPublicBuckets?: boolean | undefined;
      }
    | undefined;
}

export function transformPublicAccessBlock(
  result: S3CallResult<PublicAccessBlockOutputShape>,
): Setting<PublicAccessBlock> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.publicAccessBlock);
  const c = result.output.PublicAccessBlockConfiguration;
  if (!c) return absent();
  // Only an explicit true blocks anything; an omitted flag is off.
  return present({
    blockPublicAcls: c.BlockPublicAcls === true,
    ignorePublicAcls: c.IgnorePublicAcls === true,
    blockPublicPolicy: c.BlockPublicPolicy === true,
    restrictPublicBuckets: c.RestrictPublicBuckets === true,
  });
}

export function transformPolicy(result: S3CallResult<GetBucketPolicyOutput>): Setting<PolicySettings> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.policy);
  const json = result.output.Policy;
  return json ? present({ json }) : absent();
}

export function transformPolicyStatus(
  result: S3CallResult<GetBucketPolicyStatusOutput>,
): Setting<{ isPublic: boolean }> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.policyStatus);
  const isPublic = result.output.PolicyStatus?.IsPublic;
  if (isPublic === undefined) return unknown("GetBucketPolicyStatus answered without PolicyStatus.IsPublic");
  return present({ isPublic });
}

const GRANTEE_TYPES: readonly AclGranteeType[] = ["CanonicalUser", "AmazonCustomerByEmail", "Group"];
const PERMISSIONS: readonly AclPermission[] = ["FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"];

export function transformAcl(result: S3CallResult<GetBucketAclOutput>): Setting<AclSettings> {
  if (!result.ok) return fromError(result.error, null);
  const grants: AclGrant[] = [];
  for (const grant of result.output.Grants ?? []) {
    const g = grant.Grantee;
    const type = g?.Type as AclGranteeType | undefined;
    const permission = grant.Permission as AclPermission | undefined;
    if (!g || !type || !GRANTEE_TYPES.includes(type) || !permission || !PERMISSIONS.includes(permission)) continue;
    const grantee = type === "Group" ? g.URI : type === "AmazonCustomerByEmail" ? g.EmailAddress : g.ID;
    grants.push({ granteeType: type, grantee: grantee ?? "", displayName: g.DisplayName ?? null, permission });
  }
  return present({
    ownerId: result.output.Owner?.ID ?? "",
    ownerDisplayName: result.output.Owner?.DisplayName ?? null,
    grants,
  });
}

const OWNERSHIPS: readonly ObjectOwnership[] = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"];

export function transformOwnershipControls(
  result: S3CallResult<GetBucketOwnershipControlsOutput>,
): Setting<{ objectOwnership: ObjectOwnership }> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.ownershipControls);
  const value = result.output.OwnershipControls?.Rules?.[0]?.ObjectOwnership as ObjectOwnership | undefined;
  if (!value) return absent();
  if (!OWNERSHIPS.includes(value)) return unknown(`Unrecognised ObjectOwnership value "${value}"`);
  return present({ objectOwnership: value });
}

export function transformTagging(result: S3CallResult<GetBucketTaggingOutput>): Setting<Record<string, string>> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.tags);
  const tags: Record<string, string> = {};
  for (const tag of result.output.TagSet ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
  return present(tags);
}

export function transformObjectLock(
  result: S3CallResult<GetObjectLockConfigurationOutput>,
): Setting<ObjectLockSettings> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.objectLock);
  const config = result.output.ObjectLockConfiguration;
  if (!config) return absent();
  const retention = config.Rule?.DefaultRetention;
  const mode = retention?.Mode;
  return present({
    enabled: config.ObjectLockEnabled === "Enabled",
    defaultRetention:
      mode === "GOVERNANCE" || mode === "COMPLIANCE"
        ? { mode, days: retention?.Days ?? null, years: retention?.Years ?? null }
        : null,
  });
}

export function transformLifecycle(
  result: S3CallResult<GetBucketLifecycleConfigurationOutput>,
): Setting<LifecycleSettings> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.lifecycle);
  const rules = (result.output.Rules ?? []).map((rule) => ({
    id: rule.ID ?? null,
    status: rule.Status ?? "Disabled",
    // Noncurrent-version expiry/transitions count too: they are how versioned buckets age data out.
    hasExpiration: rule.Expiration !== undefined || rule.NoncurrentVersionExpiration !== undefined,
    hasTransitions: (rule.Transitions?.length ?? 0) > 0 || (rule.NoncurrentVersionTransitions?.length ?? 0) > 0,
  }));
  return present({ rules });
}

export function transformReplication(result: S3CallResult<GetBucketReplicationOutput>): Setting<ReplicationSettings> {
  if (!result.ok) return fromError(result.error, ABSENT_SETTING_ERRORS.replication);
  const config = result.output.ReplicationConfiguration;
  if (!config) return absent();
  return present({
    role: config.Role ?? "",
    rules: (config.Rules ?? []).map((rule) => ({
      id: rule.ID ?? null,
      status: rule.Status ?? "Disabled",
      destinationBucketArn: rule.Destination?.Bucket ?? "",
      destinationAccount: rule.Destination?.Account ?? null,
    })),
  });
}

/**
 * GetBucketLocation's LocationConstraint → region. us-east-1 buckets answer null/empty; buckets created with the
 * legacy constraint "EU" live in eu-west-1.
 */
export function regionFromLocationConstraint(constraint: string | null | undefined): string {
  if (!constraint) return "us-east-1";
  if (constraint === "EU") return "eu-west-1";
  return constraint;
}

/** The partition part of ARNs, from the region name. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function bucketArn(name: string, region: string): string {
  return `arn:${partitionOfRegion(region)}:s3:::${name}`;
}
