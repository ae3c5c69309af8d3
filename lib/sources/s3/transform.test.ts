import { describe, expect, it } from "vitest";
import type { AwsCallError } from "@/lib/sources/shared/aws-call-result";
import {
  bucketArn,
  regionFromLocationConstraint,
  transformAcl,
  transformEncryption,
  transformLifecycle,
  transformLogging,
  transformObjectLock,
  transformOwnershipControls,
  transformPolicy,
  transformPolicyStatus,
  transformPublicAccessBlock,
  transformReplication,
  transformTagging,
  transformVersioning,
} from "./transform";

const fail = (name: string, message: string, httpStatusCode?: number): { ok: false; error: AwsCallError } => ({
  ok: false,
  error: httpStatusCode === undefined ? { name, message } : { name, message, httpStatusCode },
});
const ok = <T>(output: T) => ({ ok: true as const, output });

describe("absent-setting errors → absent (with the code); every other error → unknown", () => {
  const cases = [
    ["encryption", transformEncryption, "ServerSideEncryptionConfigurationNotFoundError"],
    ["publicAccessBlock", transformPublicAccessBlock, "NoSuchPublicAccessBlockConfiguration"],
    ["policy", transformPolicy, "NoSuchBucketPolicy"],
    ["policyStatus", transformPolicyStatus, "NoSuchBucketPolicy"],
    ["ownershipControls", transformOwnershipControls, "OwnershipControlsNotFoundError"],
    ["tags", transformTagging, "NoSuchTagSet"],
    ["objectLock", transformObjectLock, "ObjectLockConfigurationNotFoundError"],
    ["lifecycle", transformLifecycle, "NoSuchLifecycleConfiguration"],
    ["replication", transformReplication, "ReplicationConfigurationNotFoundError"],
  ] as const;

  it.each(cases)("%s: %s → absent", (_key, transform, code) => {
    expect((transform as (r: unknown) => unknown)(fail(code, "not configured", 404))).toEqual({
      status: "absent",
      errorCode: code,
    });
  });

  it.each(cases)("%s: AccessDenied → unknown with reason and code", (_key, transform) => {
    expect((transform as (r: unknown) => unknown)(fail("AccessDenied", "Access Denied", 403))).toEqual({
      status: "unknown",
      reason: "AccessDenied: Access Denied",
      errorCode: "AccessDenied",
    });
  });

  it.each(cases)("%s: throttled past retries → unknown", (_key, transform) => {
    expect(
      (transform as (r: unknown) => unknown)(fail("SlowDown", "Please reduce your request rate.", 503)),
    ).toMatchObject({
      status: "unknown",
      errorCode: "SlowDown",
    });
  });

  it("an absent code of another setting is not absent here (NoSuchTagSet on encryption → unknown)", () => {
    expect(transformEncryption(fail("NoSuchTagSet", "x", 404))).toMatchObject({
      status: "unknown",
      errorCode: "NoSuchTagSet",
    });
  });

  it("GetBucketPolicy from another account answers 405 MethodNotAllowed → unknown, not absent", () => {
    expect(
      transformPolicy(fail("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)),
    ).toEqual({
      status: "unknown",
      reason: "MethodNotAllowed: The specified method is not allowed against this resource.",
      errorCode: "MethodNotAllowed",
    });
  });

  it("versioning, logging and ACL have no absent error: any error is unknown", () => {
    expect(transformVersioning(fail("AccessDenied", "Access Denied", 403)).status).toBe("unknown");
    expect(transformLogging(fail("AccessDenied", "Access Denied", 403)).status).toBe("unknown");
    expect(transformAcl(fail("NoSuchBucket", "The specified bucket does not exist", 404)).status).toBe("unknown");
  });
});

describe("transformEncryption", () => {
  it("SSE-KMS with a customer managed key and bucket key", () => {
    const out = transformEncryption(
      ok({
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: "aws:kms",
                KMSMasterKeyID: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    expect(out).toEqual({
      status: "present",
      value: {
        rules: [
          {
            algorithm: "aws:kms",
            kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            bucketKeyEnabled: true,
          },
        ],
      },
    });
  });

  it("SSE-S3 (the default since 2023): AES256, no key, bucket key omitted = false", () => {
    expect(
      transformEncryption(
        ok({
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
          },
        }),
      ),
    ).toEqual({
      status: "present",
      value: { rules: [{ algorithm: "AES256", kmsKeyId: null, bucketKeyEnabled: false }] },
    });
  });

  it("DSSE-KMS is kept as its own algorithm", () => {
    const out = transformEncryption(
      ok({
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms:dsse", KMSMasterKeyID: "k" } }],
        },
      }),
    );
    expect(out).toMatchObject({ status: "present", value: { rules: [{ algorithm: "aws:kms:dsse", kmsKeyId: "k" }] } });
  });

  it("a configuration with no default-encryption rule is absent", () => {
    expect(transformEncryption(ok({ ServerSideEncryptionConfiguration: { Rules: [] } }))).toEqual({ status: "absent" });
  });
});

describe("transformVersioning: AWS omits fields that were never configured", () => {
  it("never versioned (empty response) → Off / Off", () => {
    expect(transformVersioning(ok({}))).toEqual({ status: "present", value: { status: "Off", mfaDelete: "Off" } });
  });
  it("Enabled without MFADelete ever configured", () => {
    expect(transformVersioning(ok({ Status: "Enabled" }))).toEqual({
      status: "present",
      value: { status: "Enabled", mfaDelete: "Off" },
    });
  });
  it("Enabled with MFA delete Enabled", () => {
    expect(transformVersioning(ok({ Status: "Enabled", MFADelete: "Enabled" }))).toEqual({
      status: "present",
      value: { status: "Enabled", mfaDelete: "Enabled" },
    });
  });
  it("Suspended with MFA delete Disabled", () => {
    expect(transformVersioning(ok({ Status: "Suspended", MFADelete: "Disabled" }))).toEqual({
      status: "present",
      value: { status: "Suspended", mfaDelete: "Disabled" },
    });
  });
});

describe("transformLogging", () => {
  it("LoggingEnabled omitted → absent", () => {
    expect(transformLogging(ok({}))).toEqual({ status: "absent" });
  });
  it("LoggingEnabled present", () => {
    expect(
      transformLogging(ok({ LoggingEnabled: { TargetBucket: "logs", TargetPrefix: "b/", TargetGrants: [] } })),
    ).toEqual({
      status: "present",
      value: { targetBucket: "logs", targetPrefix: "b/" },
    });
  });
});

describe("transformPublicAccessBlock", () => {
  it("maps the four flags; an omitted flag is off", () => {
    expect(
      transformPublicAccessBlock(
        ok({
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false },
        }),
      ),
    ).toEqual({
      status: "present",
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false },
    });
  });
});

describe("transformPolicy / transformPolicyStatus", () => {
  it("keeps the policy JSON string exactly as returned", () => {
    const json =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}';
    expect(transformPolicy(ok({ Policy: json }))).toEqual({ status: "present", value: { json } });
  });
  it("IsPublic true/false", () => {
    expect(transformPolicyStatus(ok({ PolicyStatus: { IsPublic: true } }))).toEqual({
      status: "present",
      value: { isPublic: true },
    });
    expect(transformPolicyStatus(ok({ PolicyStatus: { IsPublic: false } }))).toEqual({
      status: "present",
      value: { isPublic: false },
    });
  });
  it("a PolicyStatus without IsPublic is unknown, never assumed private", () => {
    expect(transformPolicyStatus(ok({ PolicyStatus: {} })).status).toBe("unknown");
  });
});

describe("transformAcl", () => {
  it("maps owner, canonical users, e-mail grantees and groups (AllUsers, AuthenticatedUsers, LogDelivery)", () => {
    const out = transformAcl(
      ok({
        Owner: { DisplayName: "owner", ID: "abc123" },
        Grants: [
          { Grantee: { Type: "CanonicalUser", ID: "abc123", DisplayName: "owner" }, Permission: "FULL_CONTROL" },
          { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" },
          {
            Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" },
            Permission: "WRITE",
          },
          { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "READ_ACP" },
          { Grantee: { Type: "AmazonCustomerByEmail", EmailAddress: "someone@example.com" }, Permission: "WRITE_ACP" },
        ],
      }),
    );
    expect(out).toEqual({
      status: "present",
      value: {
        ownerId: "abc123",
        ownerDisplayName: "owner",
        grants: [
          { granteeType: "CanonicalUser", grantee: "abc123", displayName: "owner", permission: "FULL_CONTROL" },
          {
            granteeType: "Group",
            grantee: "http://acs.amazonaws.com/groups/global/AllUsers",
            displayName: null,
            permission: "READ",
          },
          {
            granteeType: "Group",
            grantee: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
            displayName: null,
            permission: "WRITE",
          },
          {
            granteeType: "Group",
            grantee: "http://acs.amazonaws.com/groups/s3/LogDelivery",
            displayName: null,
            permission: "READ_ACP",
          },
          {
            granteeType: "AmazonCustomerByEmail",
            grantee: "someone@example.com",
            displayName: null,
            permission: "WRITE_ACP",
          },
        ],
      },
    });
  });
  it("DisplayName may be missing (AWS is retiring it)", () => {
    expect(transformAcl(ok({ Owner: { ID: "abc" }, Grants: [] }))).toEqual({
      status: "present",
      value: { ownerId: "abc", ownerDisplayName: null, grants: [] },
    });
  });
});

describe("other settings", () => {
  it("ownership controls", () => {
    expect(
      transformOwnershipControls(ok({ OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } })),
    ).toEqual({
      status: "present",
      value: { objectOwnership: "BucketOwnerEnforced" },
    });
  });
  it("tags → record", () => {
    expect(
      transformTagging(
        ok({
          TagSet: [
            { Key: "DataClassification", Value: "High" },
            { Key: "Owner", Value: "payments" },
          ],
        }),
      ),
    ).toEqual({
      status: "present",
      value: { DataClassification: "High", Owner: "payments" },
    });
  });
  it("object lock with and without a default retention", () => {
    expect(
      transformObjectLock(
        ok({
          ObjectLockConfiguration: {
            ObjectLockEnabled: "Enabled",
            Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 1 } },
          },
        }),
      ),
    ).toEqual({
      status: "present",
      value: { enabled: true, defaultRetention: { mode: "COMPLIANCE", days: null, years: 1 } },
    });
    expect(transformObjectLock(ok({ ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }))).toEqual({
      status: "present",
      value: { enabled: true, defaultRetention: null },
    });
  });
  it("lifecycle rules: expiration and transitions, including noncurrent versions", () => {
    const out = transformLifecycle(
      ok({
        Rules: [
          { ID: "a", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 365 } },
          {
            ID: "b",
            Status: "Disabled",
            Filter: { Prefix: "logs/" },
            NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: "GLACIER" }],
          },
        ],
      }),
    );
    expect(out).toEqual({
      status: "present",
      value: {
        rules: [
          { id: "a", status: "Enabled", hasExpiration: true, hasTransitions: false },
          { id: "b", status: "Disabled", hasExpiration: false, hasTransitions: true },
        ],
      },
    });
  });
  it("replication: same-account and cross-account destinations", () => {
    const out = transformReplication(
      ok({
        ReplicationConfiguration: {
          Role: "arn:aws:iam::111122223333:role/replication",
          Rules: [
            { ID: "x", Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::dest", Account: "444455556666" } },
            { Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::same" } },
          ],
        },
      }),
    );
    expect(out).toEqual({
      status: "present",
      value: {
        role: "arn:aws:iam::111122223333:role/replication",
        rules: [
          { id: "x", status: "Enabled", destinationBucketArn: "arn:aws:s3:::dest", destinationAccount: "444455556666" },
          { id: null, status: "Enabled", destinationBucketArn: "arn:aws:s3:::same", destinationAccount: null },
        ],
      },
    });
  });
});

describe("bucket location and ARN", () => {
  it.each([
    [undefined, "us-east-1"],
    [null, "us-east-1"],
    ["", "us-east-1"],
    ["EU", "eu-west-1"],
    ["eu-central-1", "eu-central-1"],
    ["ap-southeast-2", "ap-southeast-2"],
  ])("LocationConstraint %s → %s", (constraint, region) => {
    expect(regionFromLocationConstraint(constraint)).toBe(region);
  });
  it("ARN uses the region's partition", () => {
    expect(bucketArn("b", "us-east-1")).toBe("arn:aws:s3:::b");
    expect(bucketArn("b", "cn-north-1")).toBe("arn:aws-cn:s3:::b");
    expect(bucketArn("b", "us-gov-west-1")).toBe("arn:aws-us-gov:s3:::b");
  });
});
