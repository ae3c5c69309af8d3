/**
 * What every control evaluates: one bucket's identity and settings, its account's settings, Macie's view of it,
 * the classification it is held to, and the accounts the organisation trusts with cross-account access.
 */
import type {
  AccountSettings,
  BucketSettings,
  MacieBucketContext,
  ObjectLockSettings,
  Setting,
  VersioningSettings,
} from "../bucket-settings";
import type { BucketKmsKey, OrganizationContext } from "../kms/bucket-key";

export interface BucketIdentity {
  name: string;
  arn: string;
  region: string;
  accountId: string;
}

/** The level a bucket is evaluated against, and the top level (what sensitive data requires). */
export interface BucketClassificationContext {
  levelKey: string;
  levelName: string;
  levelRank: number;
  /** False when the bucket has no usable tag or manual level and fell back (a coverage gap). */
  classified: boolean;
  topLevelKey: string;
  topLevelName: string;
  topLevelRank: number;
  /** The controls the bucket's level requires (a control may ask more of a copy when the original must have it). */
  requiredControlIds: readonly string[];
}

/** What Custody knows of a replication rule's destination bucket. */
export interface ReplicaDestination {
  /**
   * The account that owns the destination: the account Custody read the bucket in, else the rule's
   * Destination.Account; null when neither says (the rule may omit Account even for another account's bucket).
   */
  ownerAccountId: string | null;
  ownerAccountName: string | null;
  /**
   * Is the owner linked to Custody (an account of the organisation Custody reads)? An unlinked owner may or may not
   * be in the organisation: Custody cannot tell, so the copy is then unknown, not failed.
   */
  ownerLinked: boolean;
  /** The destination's settings as Custody last read them; null when Custody has not read that bucket. */
  versioning: Setting<VersioningSettings> | null;
  objectLock: Setting<ObjectLockSettings> | null;
}

export interface ControlInput {
  bucket: BucketIdentity;
  settings: BucketSettings;
  account: AccountSettings;
  /** null when Macie state was not collected for this account/region. */
  macie: MacieBucketContext | null;
  classification: BucketClassificationContext;
  /** 12-digit account ids (and organization ids o-…) allowed cross-account access. */
  trustedAccountIds: string[];
  /** Replication destinations, by destination bucket ARN, for the bucket's enabled replication rules. */
  replicaDestinations: Record<string, ReplicaDestination>;
  /** The organisation's linked accounts (and id when configured): what "outside the organisation" is measured by. */
  organization: OrganizationContext;
  /**
   * The customer managed KMS key the bucket's default encryption names, with what the syncs read of it; null when
   * the bucket names none (SSE-S3, the AWS managed key, no default encryption, or encryption unreadable).
   */
  kmsKey: BucketKmsKey | null;
}
