/** Amazon S3: the bucket inventory and every bucket's configuration (never object data). */
import type { Source } from "@/lib/sources/shared/source";
import { s3Service, collectS3Account, UNKNOWN_REGION } from "./collect";
import { s3Fixture } from "./fixture";
import { loadS3Account, storeS3AccountSettings } from "./load";

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
  sync: {
    scope: "account",
    inventory: { failureSummary: "Could not list the account's buckets" },
    async run({ db, clients, syncRunId, accountId, homeRegion, readAt, bucketConcurrency, onBucketProgress }) {
      // The listing and every bucket's settings (each in its own region), then account-level Block Public Access.
      const collection = await collectS3Account(clients, {
        accountId,
        homeRegion,
        bucketConcurrency,
        onProgress: (p) => onBucketProgress?.({ bucketsTotal: p.bucketsTotal, bucketsRead: p.bucketsDone }),
      });
      await loadS3Account(db, {
        syncRunId,
        accountId,
        readAt,
        buckets: collection.buckets,
        listingComplete: collection.listError === null,
      });
      await storeS3AccountSettings(db, { accountId, readAt, settings: collection.accountSettings });
      const regions = new Set(collection.buckets.map((b) => b.region));
      regions.delete(UNKNOWN_REGION);
      return { itemsRead: collection.buckets.length, error: collection.listError, regions: [...regions] };
    },
  },
};
