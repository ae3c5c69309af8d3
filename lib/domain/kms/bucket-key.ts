/**
 * The KMS key a bucket's default encryption names, as evaluation sees it: which key (as the bucket names it), who
 * owns it, whether it rotates and who can decrypt with it. The evaluation context reads the stored key rows
 * (lib/sources/kms, table kms_key) and hands them here; everything derived — the owner, the policy analysis — is
 * worked out in this pure module so the controls, effective access and the bucket page read the same facts.
 */
import type { EncryptionSettings, Setting } from "../bucket-settings";
import { analyzeKeyPolicy, type KeyPolicyAnalysis } from "./analyze-key-policy";
import { idSet } from "@/lib/domain/id-set";

export type Readable<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface KeyMetadataFacts {
  /** "CUSTOMER" | "AWS" as KMS says. */
  keyManager: string | null;
  keyState: string | null;
  origin: string | null;
  keySpec: string | null;
  description: string | null;
  createdAt: string | null;
}

/** One stored read of a key (a kms_key row), as the evaluation context passes it in. */
export interface KeyRead {
  readByAccountId: string;
  region: string;
  keyRef: string;
  arn: string | null;
  ownerAccountId: string | null;
  metadata: Readable<KeyMetadataFacts>;
  /** The key policy document (a JSON string). */
  policy: Readable<string>;
  rotation: Readable<{ enabled: boolean; periodDays: number | null }>;
  aliases: string[];
  /** ISO 8601. */
  readAt: string;
}

/** Our organisation as the key analysis needs it: its linked accounts and, when configured, its id (o-…). */
export interface OrganizationContext {
  /** Sorted 12-digit account ids of the organisation's linked accounts. */
  accountIds: string[];
  organizationId: string | null;
}

export interface BucketKmsKey {
  /** The key as the bucket's default encryption names it (key id, key ARN, alias name or alias ARN). */
  keyRef: string;
  /** The account that owns the key: from the read, else the ARN in the reference, else the bucket's account
   * (S3 resolves a bare key id or alias name in the bucket owner's account). */
  ownerAccountId: string;
  ownerInOrganization: boolean;
  /** AWS managed (alias/aws/s3 or KeyManager "AWS"): AWS rotates it and it cannot be shared across accounts. */
  awsManaged: boolean;
  arn: string | null;
  aliases: string[];
  /** Whose read the facts come from: the owner's (its policy is readable) or the bucket account's. */
  readByAccountId: string | null;
  readAt: string | null;
  metadata: Readable<KeyMetadataFacts>;
  rotation: Readable<{ enabled: boolean; periodDays: number | null }>;
  /** Who can decrypt; an error (with its reason) when the policy could not be read. */
  policy: KeyPolicyAnalysis;
}

const AWS_MANAGED_S3 = /(^|:)alias\/aws\/s3$/;
const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** The account and region in a key or alias ARN; null for a bare key id or alias name. */
export function parseKmsArn(ref: string): { region: string; accountId: string; kind: "key" | "alias" } | null {
  const m = KMS_ARN.exec(ref);
  return m ? { region: m[1]!, accountId: m[2]!, kind: m[3] as "key" | "alias" } : null;
}

/**
 * Which KMS key the bucket's default encryption names. `none`: not SSE-KMS (SSE-S3, or no default encryption);
 * `aws-managed`: SSE-KMS without a key id (S3 uses alias/aws/s3) or naming alias/aws/s3.
 */
export type BucketKeyChoice =
  | { kind: "none"; algorithms: string[] }
  | { kind: "aws-managed"; keyRef: string | null }
  | { kind: "customer"; keyRef: string };

export function bucketKeyChoice(encryption: EncryptionSettings): BucketKeyChoice {
  const kmsRules = encryption.rules.filter((r) => r.algorithm === "aws:kms" || r.algorithm === "aws:kms:dsse");
  if (kmsRules.length === 0) return { kind: "none", algorithms: encryption.rules.map((r) => r.algorithm) };
  const named = kmsRules.find((r) => r.kmsKeyId);
  if (!named?.kmsKeyId) return { kind: "aws-managed", keyRef: null };
  if (AWS_MANAGED_S3.test(named.kmsKeyId)) return { kind: "aws-managed", keyRef: named.kmsKeyId };
  return { kind: "customer", keyRef: named.kmsKeyId };
}

/** The key reference the evaluation context must look up for a bucket, or null (no customer key named). */
export function keyRefToLoad(encryption: Setting<EncryptionSettings>): string | null {
  if (encryption.status !== "present") return null;
  const choice = bucketKeyChoice(encryption.value);
  return choice.kind === "customer" ? choice.keyRef : null;
}

/**
 * Picks the read to trust among a key's stored reads: the owner's own read first (only it can read the policy),
 * then the bucket account's read.
 */
export function preferredKeyRead(reads: KeyRead[], bucketAccountId: string): KeyRead | null {
  const owners = reads.filter((r) => r.ownerAccountId !== null && r.readByAccountId === r.ownerAccountId);
  return owners[0] ?? reads.find((r) => r.readByAccountId === bucketAccountId) ?? reads[0] ?? null;
}

/** The organisation's accounts as a set (built once per evaluation's list). */
export function organizationAccountSet(org: OrganizationContext): ReadonlySet<string> {
  return idSet(org.accountIds);
}

/** The key facts for a bucket that names `keyRef`, from the preferred stored read (null: no sync read it yet). */
export function bucketKmsKey(
  keyRef: string,
  bucketAccountId: string,
  read: KeyRead | null,
  org: OrganizationContext,
): BucketKmsKey {
  const ownerAccountId = read?.ownerAccountId ?? parseKmsArn(keyRef)?.accountId ?? bucketAccountId;
  const inOrg = organizationAccountSet(org);
  const notRead = { ok: false as const, reason: `key ${keyRef} has not been read by any sync yet` };
  const metadata = read?.metadata ?? notRead;
  const policy: KeyPolicyAnalysis = !read
    ? { error: notRead.reason }
    : read.policy.ok
      ? analyzeKeyPolicy(read.policy.value, {
          keyAccountId: ownerAccountId,
          organizationId: org.organizationId,
          organizationAccountIds: inOrg,
        })
      : { error: `key policy could not be read: ${read.policy.reason}` };
  return {
    keyRef,
    ownerAccountId,
    ownerInOrganization: inOrg.has(ownerAccountId),
    awsManaged: metadata.ok && metadata.value.keyManager === "AWS",
    arn: read?.arn ?? (parseKmsArn(keyRef)?.kind === "key" ? keyRef : null),
    aliases: read?.aliases ?? [],
    readByAccountId: read?.readByAccountId ?? null,
    readAt: read?.readAt ?? null,
    metadata,
    rotation: read?.rotation ?? notRead,
    policy,
  };
}

/** Compact evidence of the key for control results: no policy document, no grant list beyond who decrypts. */
export function keyEvidence(key: BucketKmsKey): Record<string, unknown> {
  return {
    keyRef: key.keyRef,
    arn: key.arn,
    ownerAccountId: key.ownerAccountId,
    ownerInOrganization: key.ownerInOrganization,
    awsManaged: key.awsManaged,
    readByAccountId: key.readByAccountId,
    readAt: key.readAt,
    rotation: key.rotation,
    keyManager: key.metadata.ok ? key.metadata.value.keyManager : { unknown: key.metadata.reason },
  };
}
