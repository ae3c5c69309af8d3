/**
 * The typed snapshot of one bucket's settings as the collectors read them. This is the contract between
 * lib/sources (transform: raw AWS responses → these types) and lib/domain (evaluation).
 *
 * Truth first: every setting says whether it was read. `absent` means AWS answered that the setting is not
 * configured (NoSuchBucketPolicy, ServerSideEncryptionConfigurationNotFoundError, …); `unknown` means we could not
 * read it (AccessDenied, throttled past retries, not collected, account role not assumable) and carries the reason.
 * `unknown` must never be evaluated as a pass.
 */

export type Setting<T> =
  | { status: "present"; value: T }
  | { status: "absent"; errorCode?: string }
  | { status: "unknown"; reason: string; errorCode?: string };

export const present = <T>(value: T): Setting<T> => ({ status: "present", value });
export const absent = <T>(errorCode?: string): Setting<T> =>
  errorCode ? { status: "absent", errorCode } : { status: "absent" };
export const unknown = <T>(reason: string, errorCode?: string): Setting<T> =>
  errorCode ? { status: "unknown", reason, errorCode } : { status: "unknown", reason };

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export type SseAlgorithm = "AES256" | "aws:kms" | "aws:kms:dsse" | "aws:fsx" | "aws:backup" | string;

export interface EncryptionSettings {
  rules: { algorithm: SseAlgorithm; kmsKeyId: string | null; bucketKeyEnabled: boolean }[];
}

export interface VersioningSettings {
  /** "Off" = never configured (AWS omits Status). */
  status: "Enabled" | "Suspended" | "Off";
  /** "Off" = never configured (AWS omits MFADelete). */
  mfaDelete: "Enabled" | "Disabled" | "Off";
}

export interface LoggingSettings {
  targetBucket: string;
  targetPrefix: string;
}

export interface PolicySettings {
  /** The policy document exactly as GetBucketPolicy returned it (a JSON string). Parsed by lib/domain/policy. */
  json: string;
}

export type AclGranteeType = "CanonicalUser" | "AmazonCustomerByEmail" | "Group";
export type AclPermission = "FULL_CONTROL" | "WRITE" | "WRITE_ACP" | "READ" | "READ_ACP";

export interface AclGrant {
  granteeType: AclGranteeType;
  /** Canonical user id (CanonicalUser), group URI (Group) or e-mail (AmazonCustomerByEmail). */
  grantee: string;
  displayName: string | null;
  permission: AclPermission;
}

export interface AclSettings {
  ownerId: string;
  ownerDisplayName: string | null;
  grants: AclGrant[];
}

export type ObjectOwnership = "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";

export interface ObjectLockSettings {
  enabled: boolean;
  defaultRetention: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number | null; years: number | null } | null;
}

export interface LifecycleSettings {
  rules: {
    id: string | null;
    status: "Enabled" | "Disabled" | string;
    hasExpiration: boolean;
    hasTransitions: boolean;
  }[];
}

export interface ReplicationSettings {
  role: string;
  rules: {
    id: string | null;
    status: "Enabled" | "Disabled" | string;
    destinationBucketArn: string;
    /** Destination.Account when set (cross-account replication); null when the destination is in the same account. */
    destinationAccount: string | null;
  }[];
}

/** Everything read per bucket. Region and name live on the bucket's identity, not here. */
export interface BucketSettings {
  encryption: Setting<EncryptionSettings>;
  versioning: Setting<VersioningSettings>;
  logging: Setting<LoggingSettings>;
  publicAccessBlock: Setting<PublicAccessBlock>;
  policy: Setting<PolicySettings>;
  policyStatus: Setting<{ isPublic: boolean }>;
  acl: Setting<AclSettings>;
  ownershipControls: Setting<{ objectOwnership: ObjectOwnership }>;
  tags: Setting<Record<string, string>>;
  objectLock: Setting<ObjectLockSettings>;
  lifecycle: Setting<LifecycleSettings>;
  replication: Setting<ReplicationSettings>;
}

export const BUCKET_SETTING_KEYS = [
  "encryption",
  "versioning",
  "logging",
  "publicAccessBlock",
  "policy",
  "policyStatus",
  "acl",
  "ownershipControls",
  "tags",
  "objectLock",
  "lifecycle",
  "replication",
] as const satisfies readonly (keyof BucketSettings)[];

export type BucketSettingKey = (typeof BUCKET_SETTING_KEYS)[number];

/** A bucket whose settings could not be read at all (e.g. the account's role could not be assumed). */
export function allUnknown(reason: string, errorCode?: string): BucketSettings {
  const settings = {} as Record<BucketSettingKey, Setting<unknown>>;
  for (const key of BUCKET_SETTING_KEYS) settings[key] = unknown(reason, errorCode);
  return settings as unknown as BucketSettings;
}

/** Account-wide settings that change a bucket's effective exposure. */
export interface AccountSettings {
  /** S3 Control GetPublicAccessBlock: absent (NoSuchPublicAccessBlockConfiguration) means all four are off. */
  publicAccessBlock: Setting<PublicAccessBlock>;
}

/** Amazon Macie's view of one bucket, in one account and region. */
export interface MacieBucketContext {
  /** Whether Macie is enabled in the bucket's account and region; unknown when it could not be read. */
  macie: Setting<{ status: "ENABLED" | "PAUSED" }> | { status: "disabled"; reason: string };
  /** Active (non-archived) sensitive-data findings on this bucket. */
  sensitiveFindings: {
    count: number;
    /** Highest severity seen: 1 Low … 3 High; 0 when none. */
    maxSeverityScore: number;
    /** PERSONAL_INFORMATION, FINANCIAL_INFORMATION, CREDENTIALS, CUSTOM_IDENTIFIER */
    categories: string[];
    types: string[];
  };
  /** Macie DescribeBuckets sensitivityScore (-1 … 100), null if not known. */
  sensitivityScore: number | null;
  /**
   * DescribeBuckets automatedDiscoveryMonitoringStatus. Needed to read the score: without automated discovery a
   * score of 50 only means "not analysed recently". Optional; absent/null = not known.
   */
  automatedDiscoveryMonitoringStatus?: "MONITORED" | "NOT_MONITORED" | null;
}

/** AWS Config's verdict on one bucket for one managed rule (matched by SourceIdentifier). */
export interface ConfigVerdict {
  sourceIdentifier: string;
  ruleName: string;
  complianceType: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "INSUFFICIENT_DATA";
  recordedAt: string;
  annotation: string | null;
}
