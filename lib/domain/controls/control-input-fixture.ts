/**
 * Test fixture: a well-configured High bucket that passes every control, to be varied one setting at a time.
 * Lives next to the controls because their tests and evaluate-bucket's tests share it.
 */
import { present, type BucketSettings, type MacieBucketContext } from "../bucket-settings";
import { bucketKmsKey, type BucketKmsKey, type KeyRead, type OrganizationContext } from "../kms/bucket-key";
import type { ControlInput } from "./control-input";

export const OWNER = "111111111111";
export const OWNER_CANONICAL = "owner-canonical-id";
/** The organisation's backup account: the fixture bucket replicates there. */
export const BACKUP_ACCOUNT = "999999999999";

export const SSL_ONLY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

export function goodSettings(): BucketSettings {
  return {
    encryption: present({
      rules: [{ algorithm: "aws:kms", kmsKeyId: GOOD_KEY_ARN, bucketKeyEnabled: true }],
    }),
    versioning: present({ status: "Enabled", mfaDelete: "Enabled" }),
    logging: present({ targetBucket: "log-bucket", targetPrefix: "data-bucket/" }),
    publicAccessBlock: present({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    }),
    policy: present({ json: SSL_ONLY_POLICY }),
    policyStatus: present({ isPublic: false }),
    acl: present({
      ownerId: OWNER_CANONICAL,
      ownerDisplayName: null,
      grants: [
        { granteeType: "CanonicalUser", grantee: OWNER_CANONICAL, displayName: null, permission: "FULL_CONTROL" },
      ],
    }),
    ownershipControls: present({ objectOwnership: "BucketOwnerEnforced" }),
    tags: present({ DataClassification: "High" }),
    objectLock: present({ enabled: true, defaultRetention: { mode: "GOVERNANCE", days: 30, years: null } }),
    lifecycle: present({ rules: [{ id: "expire", status: "Enabled", hasExpiration: true, hasTransitions: false }] }),
    replication: present({
      role: `arn:aws:iam::${OWNER}:role/replication`,
      rules: [
        {
          id: "backup",
          status: "Enabled",
          destinationBucketArn: "arn:aws:s3:::backup-bucket",
          destinationAccount: BACKUP_ACCOUNT,
        },
      ],
    }),
  };
}

export const GOOD_KEY_ARN = `arn:aws:kms:eu-west-1:${OWNER}:key/k1`;

/** The bucket's key as the owner's sync read it: customer managed, rotating, decryptable by the owner only. */
export function goodKeyRead(over: Partial<KeyRead> = {}): KeyRead {
  return {
    readByAccountId: OWNER,
    region: "eu-west-1",
    keyRef: GOOD_KEY_ARN,
    arn: GOOD_KEY_ARN,
    ownerAccountId: OWNER,
    metadata: {
      ok: true,
      value: {
        keyManager: "CUSTOMER",
        keyState: "Enabled",
        origin: "AWS_KMS",
        keySpec: "SYMMETRIC_DEFAULT",
        description: null,
        createdAt: "2024-01-01T00:00:00.000Z",
      },
    },
    policy: {
      ok: true,
      value: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: "kms:*", Resource: "*" },
        ],
      }),
    },
    rotation: { ok: true, value: { enabled: true, periodDays: 365 } },
    aliases: ["alias/data"],
    readAt: "2026-01-01T00:00:00.000Z",
    ...over,
  };
}

export function goodKey(
  over: Partial<KeyRead> = {},
  org: OrganizationContext = { accountIds: [OWNER], organizationId: null },
): BucketKmsKey {
  return bucketKmsKey(GOOD_KEY_ARN, OWNER, goodKeyRead(over), org);
}

export function goodMacie(): MacieBucketContext {
  return {
    macie: present({ status: "ENABLED" }),
    sensitiveFindings: { count: 0, maxSeverityScore: 0, categories: [], types: [] },
    sensitivityScore: 1,
    automatedDiscoveryMonitoringStatus: "MONITORED",
  };
}

export function goodInput(
  over: { settings?: Partial<BucketSettings> } & Partial<Omit<ControlInput, "settings">> = {},
): ControlInput {
  const { settings, ...rest } = over;
  return {
    bucket: { name: "data-bucket", arn: "arn:aws:s3:::data-bucket", region: "eu-west-1", accountId: OWNER },
    settings: { ...goodSettings(), ...settings },
    account: {
      publicAccessBlock: present({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      }),
    },
    macie: goodMacie(),
    classification: {
      levelKey: "high",
      levelName: "High",
      levelRank: 3,
      classified: true,
      topLevelKey: "high",
      topLevelName: "High",
      topLevelRank: 3,
      requiredControlIds: [],
    },
    trustedAccountIds: [],
    replicaDestinations: {
      "arn:aws:s3:::backup-bucket": {
        ownerAccountId: BACKUP_ACCOUNT,
        ownerAccountName: "acme-backup",
        ownerLinked: true,
        versioning: present({ status: "Enabled", mfaDelete: "Off" }),
        objectLock: present({ enabled: true, defaultRetention: { mode: "COMPLIANCE", days: 90, years: null } }),
      },
    },
    organization: { accountIds: [OWNER], organizationId: null },
    kmsKey: goodKey(),
    ...rest,
  };
}
