/**
 * The fixture AWS's answers: given an account's generated buckets and region plans, answer one SDK operation the
 * way the service does — same output shapes (SDK v3 deserialized: Dates as Date), same error names, HTTP statuses
 * and messages. Outputs are typed with the SDK's own model types so a shape drift fails type-checking.
 */
import type {
  DescribeConfigRulesResponse,
  DescribeConfigurationRecorderStatusResponse,
  EvaluationResult,
  GetComplianceDetailsByConfigRuleResponse,
} from "@aws-sdk/client-config-service";
import { ConfigServiceServiceException } from "@aws-sdk/client-config-service";
import type {
  BucketMetadata,
  DescribeBucketsResponse,
  Finding,
  GetFindingsResponse,
  GetMacieSessionResponse,
  ListFindingsResponse,
} from "@aws-sdk/client-macie2";
import { Macie2ServiceException } from "@aws-sdk/client-macie2";
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
import { S3ControlServiceException } from "@aws-sdk/client-s3-control";
import type { AwsServiceKey } from "./aws-clients";
import type { FixtureAccount, FixtureEstate, FixtureRegionPlan } from "./fixture-aws";
import {
  CLASSIFICATION_TAG_KEY,
  FIXTURE_REFERENCE_DATE,
  OWNER_TAG_KEY,
  type FixtureBucket,
  type FixtureFindingPlan,
  type FixturePolicyStatement,
} from "./fixture-bucket-traits";
import { hash32, stableHex } from "./fixture-random";

const DAY = 86_400_000;

// ───────────────────────────── errors, shaped like the SDK's ServiceExceptions ─────────────────────────────

type ExceptionClass = new (o: {
  name: string;
  $fault: "client" | "server";
  $metadata: { httpStatusCode: number; requestId: string };
  message: string;
}) => Error;

const EXCEPTION_CLASS: Record<AwsServiceKey, ExceptionClass> = {
  s3: S3ServiceException,
  s3control: S3ControlServiceException,
  config: ConfigServiceServiceException,
  macie: Macie2ServiceException,
  sts: S3ServiceException, // not used: STS errors are raised by the connector as AssumeRoleError
  organizations: S3ServiceException, // not used: see createFixtureOrganizationsClient
};

export function fixtureServiceError(
  service: AwsServiceKey,
  name: string,
  httpStatusCode: number,
  message: string,
): Error {
  const Exception = EXCEPTION_CLASS[service];
  return new Exception({
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode, requestId: stableHex(16, name, message) },
    message,
  });
}

/** What each service says when it throttles (see aws-facts §6). */
export function throttlingError(service: AwsServiceKey): Error {
  if (service === "s3" || service === "s3control")
    return fixtureServiceError(service, "SlowDown", 503, "Please reduce your request rate.");
  if (service === "macie") return fixtureServiceError(service, "ThrottlingException", 429, "Rate exceeded");
  return fixtureServiceError(service, "ThrottlingException", 400, "Rate exceeded");
}

export class UnsupportedFixtureOperationError extends Error {
  override name = "UnsupportedFixtureOperation";
  constructor(service: AwsServiceKey, operation: string) {
    super(
      `The fixture AWS does not implement ${service}:${operation}. Add it to fixture-aws-responses.ts (read-only operations only).`,
    );
  }
}

// ───────────────────────────── per-account world ─────────────────────────────

export interface FixtureAccountWorld {
  estate: FixtureEstate;
  account: FixtureAccount;
  buckets: FixtureBucket[];
  byName: Map<string, FixtureBucket>;
  canonicalUserId: string;
  /** Memo for derived per-region data (findings, evaluations). */
  memo: Map<string, unknown>;
}

export function createAccountWorld(estate: FixtureEstate, account: FixtureAccount): FixtureAccountWorld {
  const buckets = estate.bucketsOf(account.accountId);
  return {
    estate,
    account,
    buckets,
    byName: new Map(buckets.map((b) => [b.name, b])),
    canonicalUserId: stableHex(64, "canonical", account.accountId),
    memo: new Map(),
  };
}

function memo<T>(world: FixtureAccountWorld, key: string, make: () => T): T {
  if (!world.memo.has(key)) world.memo.set(key, make());
  return world.memo.get(key) as T;
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64");
}

function decodeToken(service: AwsServiceKey, token: string | undefined, invalidName: string): number {
  if (!token) return 0;
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const m = /^offset:(\d+)$/.exec(decoded);
  if (!m) throw fixtureServiceError(service, invalidName, 400, "The nextToken provided is invalid");
  return Number(m[1]);
}

// ───────────────────────────── S3 ─────────────────────────────

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

export function bucketTags(bucket: FixtureBucket): Record<string, string> {
  const tags: Record<string, string> = {};
  if (bucket.classificationTag !== null) tags[CLASSIFICATION_TAG_KEY] = bucket.classificationTag;
  if (bucket.owner !== null) tags[OWNER_TAG_KEY] = bucket.owner;
  return { ...tags, ...bucket.extraTags };
}

function isPolicyPublic(bucket: FixtureBucket): boolean {
  return bucket.policy?.some((s) => s.kind === "public-read") ?? false;
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
    if (operation === "HeadBucket") throw fixtureServiceError("s3", "NotFound", 404, "Not Found");
    throw fixtureServiceError("s3", "NoSuchBucket", 404, "The specified bucket does not exist");
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
    throw fixtureServiceError(
      "s3",
      "PermanentRedirect",
      301,
      "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    );
  }
  if (bucket.deniedOperations.includes(operation))
    throw fixtureServiceError("s3", "AccessDenied", 403, "Access Denied");

  switch (operation) {
    case "GetBucketEncryption": {
      const e = bucket.encryption;
      if (!e)
        throw fixtureServiceError(
          "s3",
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
        throw fixtureServiceError(
          "s3",
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
      if (!bucket.policy?.length)
        throw fixtureServiceError("s3", "NoSuchBucketPolicy", 404, "The bucket policy does not exist");
      return { Policy: policyDocument(bucket) } satisfies GetBucketPolicyOutput;
    case "GetBucketPolicyStatus":
      if (!bucket.policy?.length)
        throw fixtureServiceError("s3", "NoSuchBucketPolicy", 404, "The bucket policy does not exist");
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
        throw fixtureServiceError(
          "s3",
          "OwnershipControlsNotFoundError",
          404,
          "The bucket ownership controls were not found",
        );
      return {
        OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] },
      } satisfies GetBucketOwnershipControlsOutput;
    case "GetBucketTagging": {
      const tags = bucketTags(bucket);
      if (Object.keys(tags).length === 0)
        throw fixtureServiceError("s3", "NoSuchTagSet", 404, "The TagSet does not exist");
      return { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } satisfies GetBucketTaggingOutput;
    }
    case "GetObjectLockConfiguration": {
      const lock = bucket.objectLock;
      if (!lock)
        throw fixtureServiceError(
          "s3",
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
      if (!lc)
        throw fixtureServiceError(
          "s3",
          "NoSuchLifecycleConfiguration",
          404,
          "The lifecycle configuration does not exist",
        );
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
        throw fixtureServiceError(
          "s3",
          "ReplicationConfigurationNotFoundError",
          404,
          "The replication configuration was not found",
        );
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
    throw fixtureServiceError("s3", "InvalidArgument", 400, "MaxBuckets must be between 1 and 10000");
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

// ───────────────────────────── S3 Control ─────────────────────────────

export function answerS3Control(
  world: FixtureAccountWorld,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  if (operation !== "GetPublicAccessBlock") throw new UnsupportedFixtureOperationError("s3control", operation);
  if (input.AccountId !== world.account.accountId)
    throw fixtureServiceError("s3control", "AccessDenied", 403, "Access Denied");
  const p = world.account.accountPublicAccessBlock;
  if (!p)
    throw fixtureServiceError(
      "s3control",
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
  };
}

// ───────────────────────────── AWS Config ─────────────────────────────

type Compliance = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

/** What a managed rule would truthfully conclude from the bucket's settings (approximate, by design). */
export function truthfulConfigVerdict(
  bucket: FixtureBucket,
  identifier: string,
  account: FixtureAccount,
): { complianceType: Compliance; annotation: string | null } | null {
  const yes = (ok: boolean, failNote: string) => ({
    complianceType: ok ? ("COMPLIANT" as const) : ("NON_COMPLIANT" as const),
    annotation: ok ? null : failNote,
  });
  const bpa = bucket.publicAccessBlock;
  const acct = account.accountPublicAccessBlock;
  const policyBlocked = !!(bpa?.restrictPublicBuckets || acct?.restrictPublicBuckets);
  const aclBlocked = !!(bpa?.ignorePublicAcls || acct?.ignorePublicAcls);
  const aclPublic = (perm: string) =>
    bucket.ownership !== "BucketOwnerEnforced" &&
    bucket.aclExtraGrants.some((g) => g.group !== "LogDelivery" && g.permission === perm);
  switch (identifier) {
    case "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED":
      return yes(bucket.encryption !== null, "Default encryption is not enabled on the bucket.");
    case "S3_DEFAULT_ENCRYPTION_KMS":
      return yes(
        bucket.encryption !== null && bucket.encryption.algorithm !== "AES256",
        "The bucket is not encrypted with AWS KMS.",
      );
    case "S3_BUCKET_SSL_REQUESTS_ONLY":
      return yes(
        bucket.policy?.some((s) => s.kind === "https-only") ?? false,
        "The bucket policy does not explicitly deny requests without SSL.",
      );
    case "S3_BUCKET_PUBLIC_READ_PROHIBITED":
      return yes(
        !((isPolicyPublic(bucket) && !policyBlocked) || (aclPublic("READ") && !aclBlocked)),
        "The bucket allows public read access.",
      );
    case "S3_BUCKET_PUBLIC_WRITE_PROHIBITED":
      return yes(!(aclPublic("WRITE") && !aclBlocked), "The bucket allows public write access.");
    case "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED":
      return yes(
        !!bpa && bpa.blockPublicAcls && bpa.ignorePublicAcls && bpa.blockPublicPolicy && bpa.restrictPublicBuckets,
        "Bucket-level Block Public Access is not fully enabled.",
      );
    case "S3_BUCKET_ACL_PROHIBITED":
      return yes(
        bucket.ownership === "BucketOwnerEnforced" || bucket.aclExtraGrants.length === 0,
        "The bucket ACL grants access to other grantees.",
      );
    case "S3_BUCKET_LOGGING_ENABLED":
      if (bucket.traits.includes("access-log-target")) return { complianceType: "NOT_APPLICABLE", annotation: null };
      return yes(bucket.logging !== null, "Server access logging is not enabled.");
    case "S3_BUCKET_VERSIONING_ENABLED":
      return yes(bucket.versioning === "Enabled", "Versioning is not enabled.");
    case "S3_BUCKET_MFA_DELETE_ENABLED":
      return yes(bucket.mfaDelete === "Enabled", "MFA delete is not enabled.");
    case "S3_BUCKET_DEFAULT_LOCK_ENABLED":
      return yes(bucket.objectLock !== null, "Object Lock is not enabled.");
    case "S3_BUCKET_REPLICATION_ENABLED":
      return yes(bucket.replication !== null, "Replication is not enabled.");
    case "S3_LIFECYCLE_POLICY_CHECK":
      return yes(bucket.lifecycle !== null, "No lifecycle policy is configured.");
    case "S3_BUCKET_POLICY_GRANTEE_CHECK":
    case "S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE":
      return yes(
        !bucket.policy?.some((s) => s.kind === "public-read" || (s.kind === "cross-account-read" && s.external)),
        "The bucket policy grants access to principals outside the allowed list.",
      );
    default:
      return null;
  }
}

function evaluationsFor(
  world: FixtureAccountWorld,
  region: string,
  ruleName: string,
  identifier: string,
): EvaluationResult[] {
  return memo(world, `eval|${region}|${ruleName}`, () => {
    const results: EvaluationResult[] = [];
    const resultFor = (
      resourceType: string,
      resourceId: string,
      compliance: Compliance,
      annotation: string | null,
      recorded: number,
    ): EvaluationResult => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: ruleName,
          ResourceType: resourceType,
          ResourceId: resourceId,
          EvaluationMode: "DETECTIVE",
        },
        OrderingTimestamp: new Date(recorded),
      },
      ComplianceType: compliance,
      ResultRecordedTime: new Date(recorded),
      ConfigRuleInvokedTime: new Date(recorded - 60_000),
      ...(annotation ? { Annotation: annotation } : {}),
    });
    if (identifier.startsWith("S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS")) {
      // Account-level rules evaluate the account, not buckets: the collector must skip these.
      const p = world.account.accountPublicAccessBlock;
      const ok = !!p && p.blockPublicAcls && p.ignorePublicAcls && p.blockPublicPolicy && p.restrictPublicBuckets;
      results.push(
        resultFor(
          "AWS::::Account",
          world.account.accountId,
          ok ? "COMPLIANT" : "NON_COMPLIANT",
          null,
          FIXTURE_REFERENCE_DATE - DAY,
        ),
      );
      return results;
    }
    const overrides = world.estate.configDisagreements.filter(
      (d) => d.accountId === world.account.accountId && d.region === region && d.sourceIdentifier === identifier,
    );
    for (const bucket of world.buckets) {
      if (bucket.region !== region) continue;
      const override = overrides.find((d) => d.bucketName === bucket.name);
      if (override) {
        results.push(
          resultFor(
            "AWS::S3::Bucket",
            bucket.name,
            override.complianceType,
            override.annotation,
            Date.parse(override.recordedAt),
          ),
        );
        continue;
      }
      const verdict = truthfulConfigVerdict(bucket, identifier, world.account);
      if (!verdict) continue;
      const recorded = FIXTURE_REFERENCE_DATE - (hash32(bucket.name, ruleName) % (6 * DAY));
      results.push(resultFor("AWS::S3::Bucket", bucket.name, verdict.complianceType, verdict.annotation, recorded));
    }
    return results;
  });
}

const CONFIG_RULES_PAGE = 10;

export function answerConfig(
  world: FixtureAccountWorld,
  plan: FixtureRegionPlan,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  const config = plan.config;
  switch (operation) {
    case "DescribeConfigurationRecorderStatus": {
      const out: DescribeConfigurationRecorderStatusResponse = { ConfigurationRecordersStatus: [] };
      if (config.recorder !== "none") {
        const started = new Date(FIXTURE_REFERENCE_DATE - 400 * DAY);
        out.ConfigurationRecordersStatus = [
          {
            arn: `arn:aws:config:${region}:${world.account.accountId}:configuration-recorder/default/${stableHex(16, world.account.accountId, region)}`,
            name: "default",
            recording: config.recorder === "recording",
            lastStatus: config.recorder === "recording" ? "Success" : "Failure",
            lastStartTime: started,
            ...(config.recorder === "stopped"
              ? {
                  lastStopTime: new Date(FIXTURE_REFERENCE_DATE - 30 * DAY),
                  lastErrorCode: "AccessDenied",
                  lastErrorMessage: "Config is not allowed to deliver to the S3 bucket.",
                }
              : {}),
            lastStatusChangeTime: new Date(FIXTURE_REFERENCE_DATE - DAY),
          },
        ];
      }
      return out;
    }
    case "DescribeConfigRules": {
      const names = Array.isArray(input.ConfigRuleNames) ? (input.ConfigRuleNames as string[]) : null;
      let rules = config.rules;
      if (names) {
        const missing = names.find((n) => !rules.some((r) => r.name === n));
        if (missing)
          throw fixtureServiceError(
            "config",
            "NoSuchConfigRuleException",
            400,
            `The ConfigRule '${missing}' provided in the request is invalid. Please check the configRule name.`,
          );
        rules = rules.filter((r) => names.includes(r.name));
      }
      const offset = decodeToken("config", input.NextToken as string | undefined, "InvalidNextTokenException");
      const page = rules.slice(offset, offset + CONFIG_RULES_PAGE);
      const out: DescribeConfigRulesResponse = {
        ConfigRules: page.map((r) => ({
          ConfigRuleName: r.name,
          ConfigRuleArn: r.arn,
          ConfigRuleId: `config-rule-${stableHex(6, r.arn)}`,
          Source: { Owner: r.owner, SourceIdentifier: r.identifier },
          Scope:
            r.owner === "AWS" && r.identifier.startsWith("S3_BUCKET")
              ? { ComplianceResourceTypes: ["AWS::S3::Bucket"] }
              : undefined,
          ConfigRuleState: "ACTIVE",
          ...(r.createdBy ? { CreatedBy: r.createdBy } : {}),
        })),
      };
      if (offset + CONFIG_RULES_PAGE < rules.length) out.NextToken = encodeToken(offset + CONFIG_RULES_PAGE);
      return out;
    }
    case "GetComplianceDetailsByConfigRule": {
      const rule = config.rules.find((r) => r.name === input.ConfigRuleName);
      if (!rule)
        throw fixtureServiceError(
          "config",
          "NoSuchConfigRuleException",
          400,
          `The ConfigRule '${String(input.ConfigRuleName)}' provided in the request is invalid. Please check the configRule name.`,
        );
      const limit = input.Limit === undefined ? 10 : Number(input.Limit);
      if (!(limit >= 0 && limit <= 100))
        throw fixtureServiceError("config", "InvalidLimitException", 400, "The limit must be between 0 and 100");
      const pageSize = limit === 0 ? 10 : limit;
      const types = Array.isArray(input.ComplianceTypes) ? (input.ComplianceTypes as string[]) : null;
      const all = rule.owner === "AWS" ? evaluationsFor(world, region, rule.name, rule.identifier) : [];
      const filtered = types ? all.filter((e) => types.includes(e.ComplianceType ?? "")) : all;
      const offset = decodeToken("config", input.NextToken as string | undefined, "InvalidNextTokenException");
      const out: GetComplianceDetailsByConfigRuleResponse = {
        EvaluationResults: filtered.slice(offset, offset + pageSize),
      };
      if (offset + pageSize < filtered.length) out.NextToken = encodeToken(offset + pageSize);
      return out;
    }
    default:
      throw new UnsupportedFixtureOperationError("config", operation);
  }
}

// ───────────────────────────── Macie ─────────────────────────────

function macieNotEnabled(): Error {
  return fixtureServiceError("macie", "AccessDeniedException", 403, "Macie is not enabled.");
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
      throw fixtureServiceError(
        "macie",
        "ValidationException",
        400,
        `The fixture does not support the criterion field ${field}`,
      );
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
      const offset = decodeToken("macie", input.nextToken as string | undefined, "ValidationException");
      const out: ListFindingsResponse = {
        findingIds: matching.slice(offset, offset + pageSize).map((f) => f.id as string),
      };
      if (offset + pageSize < matching.length) out.nextToken = encodeToken(offset + pageSize);
      return out;
    }
    case "GetFindings": {
      const ids = Array.isArray(input.findingIds) ? (input.findingIds as string[]) : [];
      if (ids.length > MACIE_MAX_GET_FINDINGS)
        throw fixtureServiceError(
          "macie",
          "ValidationException",
          400,
          `findingIds must contain at most ${MACIE_MAX_GET_FINDINGS} items`,
        );
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
      const offset = decodeToken("macie", input.nextToken as string | undefined, "ValidationException");
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
