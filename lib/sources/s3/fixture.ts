/**
 * The fixture AWS's S3: answers the S3 commands from an account's generated buckets the way S3 does — same output
 * shapes (SDK v3 deserialized: Dates as Date), error names, HTTP statuses and messages, typed with the SDK's own
 * model types so a shape drift fails type-checking.
 */
import type {
  GetBucketAclOutput,
  GetBucketEncryptionOutput,
  GetBucketLifecycleConfigurationOutput,
  GetBucketLocationOutput,
  GetBucketLoggingOutput,
  GetBucketOwnershipControlsOutput,
  GetBucketPolicyOutput,
  GetBucketPolicyStatusOutput,
  GetBucketReplicationOutput,
  GetBucketTaggingOutput,
  GetBucketVersioningOutput,
  GetObjectLockConfigurationOutput,
  GetPublicAccessBlockOutput,
  Grant,
  HeadBucketOutput,
  ListBucketsOutput,
} from "@aws-sdk/client-s3";
import { S3ServiceException } from "@aws-sdk/client-s3";
import type { FixtureBucket, FixturePolicyStatement } from "@/lib/sources/fixture/bucket-traits";
import {
  bucketTags,
  fixtureServiceError,
  isPolicyPublic,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const s3Error = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(S3ServiceException, name, httpStatusCode, message);

export const s3Fixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) => answerS3(world, region, operation, input),
  throttlingError: () => s3Error("SlowDown", 503, "Please reduce your request rate."),
};

export function policyDocument(bucket: FixtureBucket): string {
  const arn = `arn:aws:s3:::${bucket.name}`;
  const statements = (bucket.policy ?? []).map((s: FixturePolicyStatement) => {
    switch (s.kind) {
      case "https-only":
        return {
          Sid: "AllowSSLRequestsOnly",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        };
      case "public-read":
        return {
          Sid: "PublicReadGetObject",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `${arn}/*`,
        };
      case "cross-account-read":
        return {
          Sid: "CrossAccountRead",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${s.principalAccountId}:root` },
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: [arn, `${arn}/*`],
        };
      case "org-read":
        return {
          Sid: "OrganizationRead",
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: [arn, `${arn}/*`],
          Condition: { StringEquals: { "aws:PrincipalOrgID": s.organizationId } },
        };
      case "cloudfront-read":
        return {
          Sid: "AllowCloudFrontServicePrincipalReadOnly",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: `${arn}/*`,
          Condition: { StringEquals: { "AWS:SourceArn": s.distributionArn } },
        };
      case "log-delivery-write":
        return {
          Sid: "S3ServerAccessLogsPolicy",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": s.sourceAccountId } },
        };
    }
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const GROUP_URI = {
  AllUsers: "http://acs.amazonaws.com/groups/global/AllUsers",
  AuthenticatedUsers: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
  LogDelivery: "http://acs.amazonaws.com/groups/s3/LogDelivery",
} as const;

/** Per-bucket operations that exist on the fixture; anything else is unsupported. */
const S3_BUCKET_OPERATIONS = new Set([
  "GetBucketLocation",
  "HeadBucket",
  "GetBucketEncryption",
  "GetBucketVersioning",
  "GetBucketLogging",
  "GetPublicAccessBlock",
  "GetBucketPolicy",
  "GetBucketPolicyStatus",
  "GetBucketAcl",
  "GetBucketOwnershipControls",
  "GetBucketTagging",
  "GetObjectLockConfiguration",
  "GetBucketLifecycleConfiguration",
  "GetBucketReplication",
]);

export function answerS3(
  world: FixtureAccountWorld,
  clientRegion: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  if (operation === "ListBuckets") return listBuckets(world, input);
  if (!S3_BUCKET_OPERATIONS.has(operation)) throw new UnsupportedFixtureOperationError("s3", operation);
  const name = String(input.Bucket ?? "");
  const bucket = world.byName.get(name);
  if (!bucket) {
    if (operation === "HeadBucket") throw s3Error("NotFound", 404, "Not Found");
    throw s3Error("NoSuchBucket", 404, "The specified bucket does not exist");
  }
  if (operation === "GetBucketLocation") {
    const out: GetBucketLocationOutput =
      bucket.region === "us-east-1"
        ? {}
        : {
            LocationConstraint: bucket.legacyEuLocation
              ? "EU"
              : (bucket.region as GetBucketLocationOutput["LocationConstraint"]),
          };
    return out;
  }
  if (operation === "HeadBucket") return { BucketRegion: bucket.region } satisfies HeadBucketOutput;
  if (bucket.region !== clientRegion) {
    // What S3 answers when a bucket is addressed through another region's endpoint (without followRegionRedirects).
    throw s3Error(
      "PermanentRedirect",
      301,
      "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    );
  }
  if (bucket.deniedOperations.includes(operation)) throw s3Error("AccessDenied", 403, "Access Denied");

  switch (operation) {
    case "GetBucketEncryption": {
      const e = bucket.encryption;
      if (!e)
        throw s3Error(
          "ServerSideEncryptionConfigurationNotFoundError",
          404,
          "The server side encryption configuration was not found",
        );
      const rule =
        e.algorithm === "AES256"
          ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" as const }, BucketKeyEnabled: false }
          : e.algorithm === "aws:kms"
            ? {
                ApplyServerSideEncryptionByDefault: {
                  SSEAlgorithm: "aws:kms" as const,
                  ...(e.kmsKeyId ? { KMSMasterKeyID: e.kmsKeyId } : {}),
                },
                BucketKeyEnabled: e.bucketKeyEnabled,
              }
            : {
                ApplyServerSideEncryptionByDefault: {
                  SSEAlgorithm: "aws:kms:dsse" as const,
                  KMSMasterKeyID: e.kmsKeyId,
                },
                BucketKeyEnabled: false,
              };
      return { ServerSideEncryptionConfiguration: { Rules: [rule] } } satisfies GetBucketEncryptionOutput;
    }
    case "GetBucketVersioning": {
      const out: GetBucketVersioningOutput = {};
      if (bucket.versioning !== "Off") out.Status = bucket.versioning;
      if (bucket.mfaDelete !== "Off") out.MFADelete = bucket.mfaDelete;
      return out;
    }
    case "GetBucketLogging":
      return (
        bucket.logging
          ? { LoggingEnabled: { TargetBucket: bucket.logging.targetBucket, TargetPrefix: bucket.logging.targetPrefix } }
          : {}
      ) satisfies GetBucketLoggingOutput;
    case "GetPublicAccessBlock": {
      const p = bucket.publicAccessBlock;
      if (!p)
        throw s3Error(
          "NoSuchPublicAccessBlockConfiguration",
          404,
          "The public access block configuration was not found",
        );
      return {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: p.blockPublicAcls,
          IgnorePublicAcls: p.ignorePublicAcls,
          BlockPublicPolicy: p.blockPublicPolicy,
          RestrictPublicBuckets: p.restrictPublicBuckets,
        },
      } satisfies GetPublicAccessBlockOutput;
    }
    case "GetBucketPolicy":
      if (!bucket.policy?.length) throw s3Error("NoSuchBucketPolicy", 404, "The bucket policy does not exist");
      return { Policy: policyDocument(bucket) } satisfies GetBucketPolicyOutput;
    case "GetBucketPolicyStatus":
      if (!bucket.policy?.length) throw s3Error("NoSuchBucketPolicy", 404, "The bucket policy does not exist");
      return { PolicyStatus: { IsPublic: isPolicyPublic(bucket) } } satisfies GetBucketPolicyStatusOutput;
    case "GetBucketAcl": {
      const owner = { DisplayName: world.account.name, ID: world.canonicalUserId };
      const grants: Grant[] = [{ Grantee: { Type: "CanonicalUser", ...owner }, Permission: "FULL_CONTROL" }];
      // With BucketOwnerEnforced, ACLs are disabled: S3 only ever reports the owner's full control.
      if (bucket.ownership !== "BucketOwnerEnforced") {
        for (const g of bucket.aclExtraGrants)
          grants.push({ Grantee: { Type: "Group", URI: GROUP_URI[g.group] }, Permission: g.permission });
      }
      return { Owner: owner, Grants: grants } satisfies GetBucketAclOutput;
    }
    case "GetBucketOwnershipControls":
      if (!bucket.ownership)
        throw s3Error("OwnershipControlsNotFoundError", 404, "The bucket ownership controls were not found");
      return {
        OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] },
      } satisfies GetBucketOwnershipControlsOutput;
    case "GetBucketTagging": {
      const tags = bucketTags(bucket);
      if (Object.keys(tags).length === 0) throw s3Error("NoSuchTagSet", 404, "The TagSet does not exist");
      return { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } satisfies GetBucketTaggingOutput;
    }
    case "GetObjectLockConfiguration": {
      const lock = bucket.objectLock;
      if (!lock)
        throw s3Error(
          "ObjectLockConfigurationNotFoundError",
          404,
          "Object Lock configuration does not exist for this bucket",
        );
      const rule =
        lock === "no-default"
          ? {}
          : {
              Rule: {
                DefaultRetention: {
                  Mode: lock.mode,
                  ...(lock.days !== null ? { Days: lock.days } : {}),
                  ...(lock.years !== null ? { Years: lock.years } : {}),
                },
              },
            };
      return {
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", ...rule },
      } satisfies GetObjectLockConfigurationOutput;
    }
    case "GetBucketLifecycleConfiguration": {
      const lc = bucket.lifecycle;
      if (!lc) throw s3Error("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist");
      return {
        Rules: [
          {
            ID: "default-retention",
            Status: "Enabled",
            Filter: { Prefix: "" },
            ...(lc.expiration
              ? { Expiration: { Days: 365 }, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }
              : {}),
            ...(lc.transitions
              ? {
                  Transitions: [
                    { Days: 30, StorageClass: "STANDARD_IA" as const },
                    { Days: 120, StorageClass: "GLACIER" as const },
                  ],
                }
              : {}),
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      } satisfies GetBucketLifecycleConfigurationOutput;
    }
    case "GetBucketReplication": {
      const r = bucket.replication;
      if (!r)
        throw s3Error("ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found");
      return {
        ReplicationConfiguration: {
          Role: `arn:aws:iam::${world.account.accountId}:role/s3-replication`,
          Rules: [
            {
              ID: "backup-copy",
              Priority: 1,
              Status: "Enabled",
              Filter: { Prefix: "" },
              DeleteMarkerReplication: { Status: "Disabled" },
              Destination: {
                Bucket: `arn:aws:s3:::${r.destinationBucket}`,
                ...(r.destinationAccountId
                  ? { Account: r.destinationAccountId, AccessControlTranslation: { Owner: "Destination" as const } }
                  : {}),
                StorageClass: "STANDARD_IA",
              },
            },
          ],
        },
      } satisfies GetBucketReplicationOutput;
    }
    default:
      throw new UnsupportedFixtureOperationError("s3", operation);
  }
}

function listBuckets(world: FixtureAccountWorld, input: Record<string, unknown>): ListBucketsOutput {
  const maxBuckets = typeof input.MaxBuckets === "number" ? input.MaxBuckets : undefined;
  const prefix = typeof input.Prefix === "string" ? input.Prefix : undefined;
  const regionFilter = typeof input.BucketRegion === "string" ? input.BucketRegion : undefined;
  const token = typeof input.ContinuationToken === "string" ? input.ContinuationToken : undefined;
  if (maxBuckets !== undefined && (maxBuckets < 1 || maxBuckets > 10_000)) {
    throw s3Error("InvalidArgument", 400, "MaxBuckets must be between 1 and 10000");
  }
  // AWS only returns BucketRegion (and pages) when the request carries at least one parameter.
  const parameterised =
    maxBuckets !== undefined || prefix !== undefined || regionFilter !== undefined || token !== undefined;
  const sorted = [...world.buckets]
    .filter(
      (b) =>
        (prefix === undefined || b.name.startsWith(prefix)) &&
        (regionFilter === undefined || b.region === regionFilter),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const after = token ? Buffer.from(token, "base64").toString("utf8") : null;
  const start = after ? sorted.findIndex((b) => b.name > after) : 0;
  const pageSize = parameterised ? (maxBuckets ?? 10_000) : sorted.length;
  const page = start < 0 ? [] : sorted.slice(start, start + pageSize);
  const more = start >= 0 && start + pageSize < sorted.length;
  const out: ListBucketsOutput = {
    Buckets: page.map((b) => ({
      Name: b.name,
      CreationDate: new Date(b.createdAt),
      ...(parameterised ? { BucketRegion: b.region } : {}),
    })),
    Owner: { DisplayName: world.account.name, ID: world.canonicalUserId },
  };
  if (more) out.ContinuationToken = Buffer.from((page[page.length - 1] as FixtureBucket).name).toString("base64");
  if (prefix !== undefined) out.Prefix = prefix;
  return out;
}
