/**
 * What each fixture bucket *is* (its intended settings, "traits"), generated deterministically. The fixture AWS
 * (fixture-aws-responses.ts) answers SDK calls from these traits; tests compare collected data against them.
 */
import type { AclPermission, ObjectOwnership, PublicAccessBlock } from "@/lib/domain/bucket-settings";
import { createRandom, hash32, stableUuid, type Random } from "./fixture-random";

export const CLASSIFICATION_TAG_KEY = "DataClassification";
export const OWNER_TAG_KEY = "Owner";

export type FixtureEncryption =
  | { algorithm: "AES256" }
  | { algorithm: "aws:kms"; kmsKeyId: string | null; customerManaged: boolean; bucketKeyEnabled: boolean }
  | { algorithm: "aws:kms:dsse"; kmsKeyId: string };

export type FixturePolicyStatement =
  | { kind: "https-only" }
  | { kind: "public-read" }
  | { kind: "cross-account-read"; principalAccountId: string; external: boolean }
  | { kind: "cloudfront-read"; distributionArn: string }
  | { kind: "log-delivery-write"; sourceAccountId: string };

export interface FixtureFindingPlan {
  category: "CLASSIFICATION" | "POLICY";
  type: string;
  severityScore: 1 | 2 | 3;
  sensitiveData: { category: string; detections: { type: string; count: number }[] }[];
  objectKey: string | null;
  archived: boolean;
  /** Days before the fixture's reference date the finding was created. */
  ageDays: number;
}

export interface FixtureBucket {
  name: string;
  accountId: string;
  region: string;
  createdAt: string;
  /** GetBucketLocation answers the legacy "EU" constraint (eu-west-1 buckets created long ago). */
  legacyEuLocation: boolean;
  /** Human-readable intent, e.g. "public-read", "unencrypted", "unclassified", "policy-read-denied". */
  traits: string[];
  /** Raw DataClassification tag value; null = unclassified. */
  classificationTag: string | null;
  owner: string | null;
  extraTags: Record<string, string>;
  /** null = ServerSideEncryptionConfigurationNotFoundError. */
  encryption: FixtureEncryption | null;
  versioning: "Off" | "Enabled" | "Suspended";
  mfaDelete: "Off" | "Enabled" | "Disabled";
  logging: { targetBucket: string; targetPrefix: string } | null;
  /** null = NoSuchPublicAccessBlockConfiguration. */
  publicAccessBlock: PublicAccessBlock | null;
  /** null/empty = NoSuchBucketPolicy. */
  policy: FixturePolicyStatement[] | null;
  aclExtraGrants: { group: "AllUsers" | "AuthenticatedUsers" | "LogDelivery"; permission: AclPermission }[];
  /** null = OwnershipControlsNotFoundError (ObjectWriter semantics). */
  ownership: ObjectOwnership | null;
  objectLock: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number | null; years: number | null } | "no-default" | null;
  lifecycle: { expiration: boolean; transitions: boolean } | null;
  replication: { destinationBucket: string; destinationAccountId: string | null } | null;
  /** S3 operations that answer AccessDenied for this bucket (e.g. "GetBucketPolicy"). */
  deniedOperations: string[];
  /** Macie findings this bucket would have if Macie runs in its account and region. */
  findings: FixtureFindingPlan[];
}

export interface BucketGenerationContext {
  seed: number;
  accountIndex: number;
  accountId: string;
  accountSlug: string;
  homeRegion: string;
  regions: readonly string[];
  ownerTeam: string;
  /** Other accounts of the organisation (trusted cross-account readers, replication targets). */
  peerAccountIds: readonly string[];
}

/** Fixed "now" of the fixture: dates are relative to it so the same seed always yields the same estate. */
export const FIXTURE_REFERENCE_DATE = Date.UTC(2026, 7, 1);
const DAY = 86_400_000;
/** The day S3 began applying SSE-S3 to every bucket; only older buckets can lack default encryption. */
const DEFAULT_ENCRYPTION_DAY = Date.UTC(2023, 0, 5);
/** The day new buckets started with BPA on and ACLs disabled. */
const SECURE_DEFAULTS_DAY = Date.UTC(2023, 3, 28);

export const EXTERNAL_PARTNER_ACCOUNT_ID = "444455556666";

const DIRECTION_CODES: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** "us-east-1" → "use1", "ap-southeast-2" → "apse2": keeps generated bucket names short. */
export function regionCode(region: string): string {
  return region
    .split("-")
    .map((part, i) => (i === 0 || /^\d+$/.test(part) ? part : (DIRECTION_CODES[part] ?? part.slice(0, 2))))
    .join("");
}

const PURPOSES = [
  "logs",
  "analytics",
  "backups",
  "exports",
  "uploads",
  "static-site",
  "data-lake",
  "ml-datasets",
  "reports",
  "artifacts",
  "archive",
  "media",
  "invoices",
  "customer-docs",
  "athena-results",
  "etl-staging",
  "tmp",
] as const;
const SENSITIVE_PURPOSES: ReadonlySet<string> = new Set([
  "exports",
  "data-lake",
  "invoices",
  "customer-docs",
  "uploads",
  "ml-datasets",
  "reports",
]);

const CLASSIFICATION_VALUES: readonly (readonly [string | null, number])[] = [
  [null, 15],
  ["High", 14],
  ["high", 5],
  ["HIGH", 2],
  ["Medium", 16],
  ["medium", 6],
  ["MEDIUM", 1],
  ["Low", 14],
  ["low", 5],
  ["Secret", 1],
  ["Confidential", 1],
  ["internal", 1],
];

export function levelOf(tag: string | null): "high" | "medium" | "low" | null {
  const v = tag?.toLowerCase();
  return v === "high" || v === "medium" || v === "low" ? v : null;
}

export const ALL_ON: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
export const ALL_OFF: PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

export function kmsKeyArn(region: string, accountId: string, ...parts: (string | number)[]): string {
  return `arn:aws:kms:${region}:${accountId}:key/${stableUuid("kms", region, accountId, ...parts)}`;
}

export function accessLogBucketName(accountSlug: string, region: string): string {
  return `${accountSlug}-access-logs-${regionCode(region)}`;
}

const PERSONAL = {
  category: "PERSONAL_INFORMATION",
  types: ["USA_SOCIAL_SECURITY_NUMBER", "DATE_OF_BIRTH", "USA_PASSPORT_NUMBER", "DRIVERS_LICENSE", "ADDRESS"],
};
const FINANCIAL = {
  category: "FINANCIAL_INFORMATION",
  types: ["CREDIT_CARD_NUMBER", "BANK_ACCOUNT_NUMBER", "CREDIT_CARD_EXPIRATION"],
};
const CREDENTIALS = { category: "CREDENTIALS", types: ["AWS_CREDENTIALS", "OPENSSH_PRIVATE_KEY"] };

export function classificationFinding(
  rng: Random,
  kind: "Personal" | "Financial" | "Credentials" | "Multiple",
  key: string,
): FixtureFindingPlan {
  const groups =
    kind === "Personal"
      ? [PERSONAL]
      : kind === "Financial"
        ? [FINANCIAL]
        : kind === "Credentials"
          ? [CREDENTIALS]
          : [PERSONAL, FINANCIAL];
  const sensitiveData = groups.map((g) => ({
    category: g.category,
    detections: [rng.pick(g.types), ...(rng.chance(0.4) ? [rng.pick(g.types)] : [])]
      .filter((t, i, all) => all.indexOf(t) === i)
      .map((type) => ({ type, count: rng.int(1, 500) })),
  }));
  const severityScore: 1 | 2 | 3 =
    kind === "Personal"
      ? rng.chance(0.6)
        ? 3
        : 2
      : kind === "Multiple" || kind === "Credentials"
        ? 3
        : rng.chance(0.7)
          ? 3
          : 2;
  return {
    category: "CLASSIFICATION",
    type: `SensitiveData:S3Object/${kind}`,
    severityScore,
    sensitiveData,
    objectKey: key,
    archived: rng.chance(0.08),
    ageDays: rng.int(0, 85),
  };
}

function policyFinding(type: string, severityScore: 1 | 2 | 3, ageDays: number): FixtureFindingPlan {
  return { category: "POLICY", type, severityScore, sensitiveData: [], objectKey: null, archived: false, ageDays };
}

/** Macie policy findings that follow from a bucket's settings (generated for every bucket, special or not). */
export function derivedPolicyFindings(bucket: FixtureBucket): FixtureFindingPlan[] {
  const out: FixtureFindingPlan[] = [];
  const age = (hash32(bucket.name, "policy-finding") % 60) + 1;
  if (
    bucket.policy?.some((s) => s.kind === "public-read") ||
    bucket.aclExtraGrants.some((g) => g.group === "AllUsers")
  ) {
    out.push(policyFinding("Policy:IAMUser/S3BucketPublic", 3, age));
  }
  if (bucket.policy?.some((s) => s.kind === "cross-account-read" && s.external)) {
    out.push(policyFinding("Policy:IAMUser/S3BucketSharedExternally", 3, age));
  }
  const bpa = bucket.publicAccessBlock;
  if (!bpa || !bpa.blockPublicAcls || !bpa.blockPublicPolicy || !bpa.ignorePublicAcls || !bpa.restrictPublicBuckets) {
    out.push(policyFinding("Policy:IAMUser/S3BlockPublicAccessDisabled", 1, age));
  }
  return out;
}

/** A well-run bucket; specials and the generator start from it and change what they need. */
export function secureBucket(
  ctx: BucketGenerationContext,
  name: string,
  region: string,
  createdAt: number,
): FixtureBucket {
  return {
    name,
    accountId: ctx.accountId,
    region,
    createdAt: new Date(createdAt).toISOString(),
    legacyEuLocation: false,
    traits: [],
    classificationTag: "High",
    owner: ctx.ownerTeam,
    extraTags: {},
    encryption: {
      algorithm: "aws:kms",
      kmsKeyId: kmsKeyArn(region, ctx.accountId, name),
      customerManaged: true,
      bucketKeyEnabled: true,
    },
    versioning: "Enabled",
    mfaDelete: "Disabled",
    logging: { targetBucket: accessLogBucketName(ctx.accountSlug, region), targetPrefix: `${name}/` },
    publicAccessBlock: { ...ALL_ON },
    policy: [{ kind: "https-only" }],
    aclExtraGrants: [],
    ownership: "BucketOwnerEnforced",
    objectLock: null,
    lifecycle: { expiration: true, transitions: true },
    replication: null,
    deniedOperations: [],
    findings: [],
  };
}

/** One ordinary bucket, drawn from realistic distributions (classification drives how well it is configured). */
export function generateBucket(ctx: BucketGenerationContext, index: number): FixtureBucket {
  const rng = createRandom(hash32(ctx.seed, "bucket", ctx.accountIndex, index));
  const region = rng.chance(0.3) ? ctx.homeRegion : rng.pick(ctx.regions);
  const purpose = rng.pick(PURPOSES);
  const name = `${ctx.accountSlug}-${purpose}-${regionCode(region)}-${String(index).padStart(3, "0")}`;
  const createdAt = FIXTURE_REFERENCE_DATE - rng.int(20, 9 * 365) * DAY - rng.int(0, DAY - 1);
  const tag = rng.weighted(CLASSIFICATION_VALUES);
  const level = levelOf(tag);
  const strict = level === "high" ? 0.8 : level === "medium" ? 0.55 : level === "low" ? 0.3 : 0.45;
  const b = secureBucket(ctx, name, region, createdAt);
  const traits: string[] = [];

  b.classificationTag = tag;
  if (tag === null) traits.push("unclassified");
  else if (level === null) traits.push("unrecognized-classification");
  b.owner = rng.chance(0.85)
    ? rng.chance(0.8)
      ? ctx.ownerTeam
      : rng.pick(["data-platform", "web-team", "finance-it", "sre"])
    : null;
  if (rng.chance(0.3)) b.extraTags.CostCenter = `cc-${rng.int(100, 999)}`;
  if (rng.chance(0.2)) b.extraTags.Environment = rng.pick(["prod", "staging", "dev"]);
  if (tag === null && b.owner === null && Object.keys(b.extraTags).length === 0) traits.push("no-tags");

  b.legacyEuLocation = region === "eu-west-1" && createdAt < Date.UTC(2019, 0, 1) && rng.chance(0.5);

  // Encryption: every bucket has at least SSE-S3 since 2023-01-05, except the rare old one the fixture keeps
  // unencrypted so the absent error is exercised.
  if (createdAt < DEFAULT_ENCRYPTION_DAY && rng.chance(0.06)) {
    b.encryption = null;
    traits.push("unencrypted");
  } else if (rng.chance(level === "high" ? 0.75 : level === "medium" ? 0.35 : 0.1)) {
    const cmk = rng.chance(0.75);
    b.encryption = rng.chance(0.04)
      ? { algorithm: "aws:kms:dsse", kmsKeyId: kmsKeyArn(region, ctx.accountId, name) }
      : {
          algorithm: "aws:kms",
          kmsKeyId: cmk ? kmsKeyArn(region, ctx.accountId, name) : null,
          customerManaged: cmk,
          bucketKeyEnabled: rng.chance(0.7),
        };
  } else {
    b.encryption = { algorithm: "AES256" };
  }

  b.versioning = rng.chance(strict) ? "Enabled" : rng.chance(0.12) ? "Suspended" : "Off";
  b.mfaDelete = b.versioning === "Off" ? "Off" : rng.chance(0.03) ? "Enabled" : rng.chance(0.3) ? "Disabled" : "Off";
  if (b.versioning === "Suspended") traits.push("versioning-suspended");
  b.logging = rng.chance(strict) ? b.logging : null;

  const modern = createdAt >= SECURE_DEFAULTS_DAY;
  const bpaRoll = rng.next();
  b.publicAccessBlock =
    modern || bpaRoll < 0.82
      ? { ...ALL_ON }
      : bpaRoll < 0.9
        ? null
        : { ...ALL_ON, blockPublicAcls: false, ignorePublicAcls: false };
  b.ownership = modern
    ? "BucketOwnerEnforced"
    : rng.weighted<ObjectOwnership | null>([
        ["BucketOwnerEnforced", 5],
        ["BucketOwnerPreferred", 3],
        ["ObjectWriter", 1],
        [null, 3],
      ]);

  const statements: FixturePolicyStatement[] = [];
  if (rng.chance(strict)) statements.push({ kind: "https-only" });
  if (ctx.peerAccountIds.length > 0 && rng.chance(0.06)) {
    statements.push({ kind: "cross-account-read", principalAccountId: rng.pick(ctx.peerAccountIds), external: false });
    traits.push("cross-account-read-internal");
  }
  if (purpose === "static-site" && rng.chance(0.5)) {
    statements.push({
      kind: "cloudfront-read",
      distributionArn: `arn:aws:cloudfront::${ctx.accountId}:distribution/E${String(hash32(name)).padStart(12, "0")}`,
    });
  }
  if (purpose === "logs") statements.push({ kind: "log-delivery-write", sourceAccountId: ctx.accountId });
  b.policy = statements.length > 0 ? statements : null;

  if (purpose === "logs" && b.ownership !== "BucketOwnerEnforced") {
    b.aclExtraGrants.push(
      { group: "LogDelivery", permission: "WRITE" },
      { group: "LogDelivery", permission: "READ_ACP" },
    );
  }
  if (b.ownership !== "BucketOwnerEnforced" && rng.chance(0.03)) {
    b.aclExtraGrants.push({ group: "AuthenticatedUsers", permission: "READ" });
    traits.push("acl-authenticated-users-read");
  }

  b.objectLock = rng.chance(0.04)
    ? rng.chance(0.7)
      ? { mode: rng.pick(["GOVERNANCE", "COMPLIANCE"] as const), days: 30, years: null }
      : "no-default"
    : null;
  if (b.objectLock && b.versioning !== "Enabled") b.versioning = "Enabled"; // Object Lock requires versioning.
  b.lifecycle = rng.chance(0.45) ? { expiration: rng.chance(0.7), transitions: rng.chance(0.5) } : null;
  b.replication =
    level === "high" && ctx.peerAccountIds.length > 0 && rng.chance(0.25) && b.versioning === "Enabled"
      ? { destinationBucket: `${name}-replica`, destinationAccountId: rng.pick(ctx.peerAccountIds) }
      : null;

  if (rng.chance(0.03)) {
    const denied = rng.pick([
      "GetBucketLogging",
      "GetBucketReplication",
      "GetBucketTagging",
      "GetBucketPolicy",
      "GetBucketLifecycleConfiguration",
    ]);
    b.deniedOperations.push(denied);
    traits.push(`denied:${denied}`);
  }

  if (SENSITIVE_PURPOSES.has(purpose) && rng.chance(level === "low" ? 0.2 : 0.35)) {
    const n = rng.int(1, 3);
    for (let i = 0; i < n; i++) {
      const kind = rng.weighted([
        ["Personal", 5],
        ["Financial", 3],
        ["Credentials", 1],
        ["Multiple", 2],
      ] as const);
      b.findings.push(
        classificationFinding(
          rng,
          kind,
          `${purpose}/${rng.int(2019, 2026)}/part-${String(rng.int(0, 9999)).padStart(5, "0")}.csv`,
        ),
      );
    }
    traits.push("sensitive-data");
  }
  b.findings.push(...derivedPolicyFindings(b));
  b.traits = traits;
  return b;
}
