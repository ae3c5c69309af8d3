/** Amazon S3: the bucket inventory and every bucket's configuration (never object data). */
import type { Source } from "@/lib/sources/shared/source";
import { s3Service } from "./client";
import { s3Fixture } from "./fixture";

export const s3Source: Source = {
  key: s3Service.key,
  // Bucket configuration reads only: no s3:GetObject, no s3:ListBucket (which would list object keys).
  commands: {
    ListBucketsCommand: ["s3:ListAllMyBuckets"],
    GetBucketLocationCommand: ["s3:GetBucketLocation"],
    GetBucketEncryptionCommand: ["s3:GetEncryptionConfiguration"],
    GetBucketVersioningCommand: ["s3:GetBucketVersioning"],
    GetBucketLoggingCommand: ["s3:GetBucketLogging"],
    GetPublicAccessBlockCommand: ["s3:GetBucketPublicAccessBlock"],
    GetBucketPolicyCommand: ["s3:GetBucketPolicy"],
    GetBucketPolicyStatusCommand: ["s3:GetBucketPolicyStatus"],
    GetBucketAclCommand: ["s3:GetBucketAcl"],
    GetBucketOwnershipControlsCommand: ["s3:GetBucketOwnershipControls"],
    GetBucketTaggingCommand: ["s3:GetBucketTagging"],
    GetObjectLockConfigurationCommand: ["s3:GetBucketObjectLockConfiguration"],
    GetBucketLifecycleConfigurationCommand: ["s3:GetLifecycleConfiguration"],
    GetBucketReplicationCommand: ["s3:GetReplicationConfiguration"],
  },
  fixture: s3Fixture,
};
