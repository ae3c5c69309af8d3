/**
 * Which S3 actions read data and which change it. A statement's Action patterns (`s3:Get*`, `s3:*Object`, `*`)
 * are matched against these lists case-insensitively, so the lists must name real actions (Service Authorization
 * Reference for Amazon S3). "Read" is data exposure: object contents and object listings. Metadata reads such as
 * s3:GetBucketAcl are S3 actions too (a policy granting them to everyone is still "public" in AWS's meaning) but
 * they are not public *read* of data.
 */
import { globCovers, globMatches, globsIntersect } from "./glob-match";

export const S3_READ_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "s3:GetObjectVersionAttributes",
  "s3:GetObjectTorrent",
  "s3:GetObjectVersionTorrent",
  "s3:GetObjectVersionForReplication",
  "s3:ListBucket",
  "s3:ListBucketVersions",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
] as const;

/** Actions that write or delete data, or change who can access it (ACL/policy writes give away the bucket). */
export const S3_WRITE_ACTIONS = [
  "s3:PutObject",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
  "s3:PutObjectTagging",
  "s3:PutObjectVersionTagging",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
  "s3:RestoreObject",
  "s3:AbortMultipartUpload",
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
  "s3:ReplicateTags",
  "s3:BypassGovernanceRetention",
  "s3:ObjectOwnerOverrideToBucketOwner",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketAcl",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:DeleteBucketOwnershipControls",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutReplicationConfiguration",
  "s3:PutBucketLogging",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketTagging",
  "s3:PutBucketCORS",
  "s3:PutBucketWebsite",
  "s3:DeleteBucketWebsite",
  "s3:PutBucketNotification",
  "s3:DeleteBucket",
] as const;

/**
 * Object-level actions are authorized against the object ARN (arn:aws:s3:::bucket/key); all others against the
 * bucket ARN. A grant of s3:GetObject on the bucket ARN alone gives nothing, so the resource check depends on it.
 */
export function isObjectLevelAction(action: string): boolean {
  return /^s3:((get|put|delete)object|restoreobject|abortmultipartupload|listmultipartuploadparts|replicate|bypassgovernanceretention|objectowneroverridetobucketowner)/i.test(
    action,
  );
}

export interface ActionSpec {
  negated: boolean;
  values: string[];
}

/** Does an Action/NotAction element grant (or deny) this concrete action? */
export function actionSpecMatches(spec: ActionSpec, action: string): boolean {
  const hit = spec.values.some((p) => globMatches(p, action, true));
  return spec.negated ? !hit : hit;
}

/** Does an Action element touch any S3 action at all (`sqs:*` does not)? */
export function actionSpecTouchesS3(spec: ActionSpec): boolean {
  if (spec.negated) {
    // NotAction grants everything not listed; it only misses S3 if it lists every S3 action.
    return !spec.values.some((p) => globCovers(p, "s3:*", true));
  }
  return spec.values.some((p) => globsIntersect(p, "s3:*", true));
}

export function grantedFrom(spec: ActionSpec, catalog: readonly string[]): string[] {
  return catalog.filter((a) => actionSpecMatches(spec, a));
}

/** Does the Action element cover every action the other one can name? (Used for Deny-covers-Allow.) */
export function actionSpecCovers(outer: ActionSpec, inner: ActionSpec): boolean {
  if (outer.negated) {
    // A NotAction Deny covers an inner Action list when none of the inner patterns can touch an excluded action.
    if (inner.negated) return false;
    return inner.values.every((ip) => !outer.values.some((op) => globsIntersect(op, ip, true)));
  }
  if (inner.negated) return outer.values.some((p) => globCovers(p, "s3:*", true));
  return inner.values.every((ip) => outer.values.some((op) => globCovers(op, ip, true)));
}
