/**
 * THE FIXTURE AWS (DESIGN §1): a deterministic, seeded AWS estate that answers `send(command)` like the SDK
 * clients do, behind the same `AwsConnector` seam as real AWS. The demo organisation and the benchmark estates
 * are collected through it with the production collectors; nothing bypasses ingestion.
 *
 * Generation is lazy: the estate description (accounts, OUs, per-region plans) is built eagerly and is cheap even
 * for 1,000 accounts; each account's buckets are generated on first use from their own seed.
 */
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { PublicAccessBlock } from "@/lib/domain/bucket-settings";
import {
  AssumeRoleError,
  assertReadOnlyOperation,
  CallCounter,
  operationNameOf,
  type AccountClients,
  type AccountRef,
  type AwsConnector,
  type AwsServiceKey,
  type ConnectionTester,
  type ConnectionTestResult,
} from "./aws-clients";
import {
  answerConfig,
  answerMacie,
  answerS3,
  answerS3Control,
  createAccountWorld,
  fixtureServiceError,
  throttlingError,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
} from "./fixture-aws-responses";
import {
  ALL_OFF,
  ALL_ON,
  classificationFinding,
  derivedPolicyFindings,
  EXTERNAL_PARTNER_ACCOUNT_ID,
  FIXTURE_REFERENCE_DATE,
  generateBucket,
  accessLogBucketName,
  kmsKeyArn,
  secureBucket,
  type BucketGenerationContext,
  type FixtureBucket,
} from "./fixture-bucket-traits";
import { createRandom, hash32, stableHex } from "./fixture-random";

export interface FixtureOptions {
  seed?: number;
  accounts?: number;
  bucketsPerAccount?: number;
  regions?: string[];
  latencyMs?: number;
  throttle?: { ratePerSecondPerAccountApi: number } | null;
  /** Accounts whose role cannot be assumed (AccessDenied from connect). */
  failingAccountIds?: string[];
  /** "demo": the ACME organisation with the special buckets (DEMO_SPECIAL_BUCKETS); "generic": sized estates. */
  scenario?: "demo" | "generic";
}

export interface FixtureAccount {
  accountId: string;
  name: string;
  ouPath: string;
  owner: string;
  roleArn: string;
  externalId: string;
  assumable: boolean;
  homeRegion: string;
  email: string;
  /** Account-level S3 Block Public Access; null = NoSuchPublicAccessBlockConfiguration. */
  accountPublicAccessBlock: PublicAccessBlock | null;
}

export interface FixtureConfigRule {
  name: string;
  identifier: string;
  owner: "AWS" | "CUSTOM_LAMBDA";
  arn: string;
  createdBy?: string;
}

export interface FixtureRegionPlan {
  macie: "ENABLED" | "PAUSED" | "DISABLED";
  config: { recorder: "recording" | "stopped" | "none"; rules: FixtureConfigRule[] };
}

/** A Config evaluation the fixture reports that contradicts the bucket's real settings (e.g. stale). */
export interface FixtureConfigDisagreement {
  accountId: string;
  region: string;
  bucketName: string;
  sourceIdentifier: string;
  complianceType: "COMPLIANT" | "NON_COMPLIANT";
  /** What Config would say if it were up to date. */
  truth: "COMPLIANT" | "NON_COMPLIANT";
  recordedAt: string;
  annotation: string | null;
}

export interface FixtureOrganizationalUnit {
  id: string;
  name: string;
  path: string;
  parentId: string;
}

export interface FixtureEstate {
  seed: number;
  scenario: "demo" | "generic";
  organizationId: string;
  managementAccountId: string;
  rootId: string;
  regions: string[];
  accounts: FixtureAccount[];
  organizationalUnits: FixtureOrganizationalUnit[];
  bucketsPerAccount: number;
  bucketCount: number;
  /** The account's buckets with their intended traits; generated on first call, then memoized. */
  bucketsOf(accountId: string): FixtureBucket[];
  /** Every bucket of every account (generates all; fine for the demo, heavy for 100k). */
  allBuckets(): FixtureBucket[];
  regionPlan(accountId: string, region: string): FixtureRegionPlan;
  configDisagreements: FixtureConfigDisagreement[];
  /** The demo's special bucket names (null for generic estates). */
  specialBuckets: typeof DEMO_SPECIAL_BUCKETS | null;
  /** Default connector behaviour from the options (latency, throttle). */
  latencyMs: number;
  throttle: { ratePerSecondPerAccountApi: number } | null;
}

export const DEMO_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

export const DEMO_FIXTURE_OPTIONS: FixtureOptions = {
  seed: 42,
  accounts: 8,
  bucketsPerAccount: 15,
  regions: DEMO_REGIONS,
  latencyMs: 0,
  throttle: null,
  failingAccountIds: [],
  scenario: "demo",
};

/** Stable names of the demo's deliberately interesting buckets. */
export const DEMO_SPECIAL_BUCKETS = {
  /** Bucket policy Principal "*" s3:GetObject; bucket and account Block Public Access off. */
  publicRead: "acme-marketing-public-assets",
  /** Bucket policy grants GetObject/ListBucket to arn:aws:iam::444455556666:root (outside the organisation). */
  crossAccountRead: "acme-payments-partner-exchange",
  /** Tagged Low; Macie found personal data (SensitiveData:S3Object/Personal, severity High). */
  lowWithPersonalData: "acme-web-press-releases",
  /** Tagged High, no default encryption (legacy "EU" bucket); AWS Config's stale evaluation still says COMPLIANT. */
  unencryptedHigh: "acme-payments-legacy-exports",
  /** No DataClassification tag (has an Owner tag). */
  unclassified: "acme-data-platform-scratch",
  /** No tags at all (NoSuchTagSet). */
  unclassifiedNoTags: "acme-dev-sandbox-experiments",
  /** Tagged High and fully compliant: SSE-KMS CMK, https-only deny, versioning + MFA delete, logging, BPA on, BucketOwnerEnforced, replication, lifecycle, object lock. */
  compliantHigh: "acme-payments-ledger",
  /** GetBucketPolicy answers AccessDenied: the policy is unknown. */
  policyReadDenied: "acme-data-platform-terraform-state",
  /** ACL grants AllUsers READ (ObjectWriter ownership, bucket BPA allows ACLs). */
  publicAcl: "acme-web-legacy-downloads",
  /** The server access log target (LogDelivery ACL grants, object lock COMPLIANCE). */
  accessLogs: "acme-prod-payments-access-logs-use1",
  /** Tagged "Secret": a value the default scheme does not recognise. */
  unrecognizedTag: "acme-security-forensics",
  /** Lives in the account whose role cannot be assumed: it exists but can never be collected. */
  inUnassumableAccount: "acme-legacy-apps-billing-exports",
} as const;

/** The demo accounts (by name); acme-legacy-apps' trust policy does not trust Custody, so its role cannot be assumed. */
export const DEMO_ACCOUNTS = [
  { name: "acme-security", ouPath: "Root/Security", owner: "security-team", homeRegion: "us-east-1" },
  { name: "acme-log-archive", ouPath: "Root/Security", owner: "security-team", homeRegion: "us-east-1" },
  { name: "acme-prod-payments", ouPath: "Root/Production", owner: "payments-team", homeRegion: "us-east-1" },
  { name: "acme-prod-web", ouPath: "Root/Production", owner: "web-team", homeRegion: "us-east-1" },
  { name: "acme-data-platform", ouPath: "Root/Production", owner: "data-platform", homeRegion: "ap-southeast-2" },
  { name: "acme-marketing", ouPath: "Root/Production", owner: "marketing", homeRegion: "us-east-1" },
  { name: "acme-dev-sandbox", ouPath: "Root/Development", owner: "platform-team", homeRegion: "us-east-1" },
  { name: "acme-legacy-apps", ouPath: "Root/Development", owner: "legacy-apps", homeRegion: "us-east-1" },
] as const;

export const DEMO_UNASSUMABLE_ACCOUNT_NAME = "acme-legacy-apps";
export const READ_ONLY_ROLE_NAME = "CustodyReadOnly";

const TEAMS = [
  "payments-team",
  "web-team",
  "data-platform",
  "security-team",
  "finance-it",
  "sre",
  "marketing",
  "ml-team",
  "mobile-team",
];
const DAY = 86_400_000;

function accountIdFor(seed: number, index: number, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const a = String(hash32(seed, "account", index, attempt, 0))
      .padStart(10, "0")
      .slice(-6);
    const b = String(hash32(seed, "account", index, attempt, 1))
      .padStart(10, "0")
      .slice(-6);
    const id = `${(index % 9) + 1}${a.slice(1)}${b}`;
    if (!taken.has(id) && id !== EXTERNAL_PARTNER_ACCOUNT_ID) {
      taken.add(id);
      return id;
    }
  }
}

// ───────────────────────────── demo special buckets ─────────────────────────────

function demoSpecials(ctx: BucketGenerationContext, byName: Map<string, string>): FixtureBucket[] {
  const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
  const S = DEMO_SPECIAL_BUCKETS;
  const out: FixtureBucket[] = [];
  const add = (b: FixtureBucket) => {
    b.findings.push(...derivedPolicyFindings(b));
    out.push(b);
  };
  const rng = createRandom(hash32(ctx.seed, "specials", ctx.accountSlug));
  switch (ctx.accountSlug) {
    case "acme-security": {
      const b = secureBucket(ctx, S.unrecognizedTag, "us-east-1", at(2021, 3, 14));
      b.classificationTag = "Secret";
      b.traits = ["unrecognized-classification"];
      add(b);
      break;
    }
    case "acme-prod-payments": {
      const ledger = secureBucket(ctx, S.compliantHigh, "us-east-1", at(2020, 6, 1));
      ledger.mfaDelete = "Enabled";
      ledger.objectLock = { mode: "GOVERNANCE", days: 90, years: null };
      ledger.logging = { targetBucket: S.accessLogs, targetPrefix: `${S.compliantHigh}/` };
      ledger.replication = {
        destinationBucket: `${S.compliantHigh}-replica`,
        destinationAccountId: byName.get("acme-log-archive") ?? null,
      };
      ledger.extraTags = { CostCenter: "cc-310", Environment: "prod" };
      ledger.traits = ["compliant-high"];
      add(ledger);

      const logs = secureBucket(ctx, S.accessLogs, "us-east-1", at(2019, 2, 2));
      logs.encryption = { algorithm: "AES256" }; // server access logs only support SSE-S3 targets
      logs.ownership = "BucketOwnerPreferred";
      logs.aclExtraGrants = [
        { group: "LogDelivery", permission: "WRITE" },
        { group: "LogDelivery", permission: "READ_ACP" },
      ];
      logs.policy = [{ kind: "https-only" }, { kind: "log-delivery-write", sourceAccountId: ctx.accountId }];
      logs.logging = null;
      logs.mfaDelete = "Enabled";
      logs.objectLock = { mode: "COMPLIANCE", days: null, years: 1 };
      logs.traits = ["access-log-target"];
      add(logs);

      const legacy = secureBucket(ctx, S.unencryptedHigh, "eu-west-1", at(2016, 9, 20));
      legacy.legacyEuLocation = true;
      legacy.encryption = null;
      legacy.ownership = null;
      legacy.logging = {
        targetBucket: accessLogBucketName(ctx.accountSlug, "eu-west-1"),
        targetPrefix: `${S.unencryptedHigh}/`,
      };
      legacy.findings.push(classificationFinding(rng, "Financial", "exports/2019/settlements.csv"));
      legacy.traits = ["unencrypted", "legacy-eu-location", "config-stale-compliant"];
      add(legacy);

      const partner = secureBucket(ctx, S.crossAccountRead, "eu-west-1", at(2022, 11, 8));
      partner.classificationTag = "Medium";
      partner.policy = [
        { kind: "https-only" },
        { kind: "cross-account-read", principalAccountId: EXTERNAL_PARTNER_ACCOUNT_ID, external: true },
      ];
      partner.encryption = {
        algorithm: "aws:kms",
        kmsKeyId: kmsKeyArn("eu-west-1", ctx.accountId, S.crossAccountRead),
        customerManaged: true,
        bucketKeyEnabled: true,
      };
      partner.versioning = "Off";
      partner.mfaDelete = "Off";
      partner.traits = ["cross-account-read-external"];
      add(partner);
      break;
    }
    case "acme-prod-web": {
      const press = secureBucket(ctx, S.lowWithPersonalData, "us-east-1", at(2021, 1, 11));
      press.classificationTag = "Low";
      press.encryption = { algorithm: "AES256" };
      press.policy = null;
      press.versioning = "Off";
      press.mfaDelete = "Off";
      press.findings.push({
        category: "CLASSIFICATION",
        type: "SensitiveData:S3Object/Personal",
        severityScore: 3,
        sensitiveData: [
          {
            category: "PERSONAL_INFORMATION",
            detections: [
              { type: "USA_SOCIAL_SECURITY_NUMBER", count: 212 },
              { type: "DATE_OF_BIRTH", count: 212 },
            ],
          },
        ],
        objectKey: "drafts/2026/customer-list-export.csv",
        archived: false,
        ageDays: 6,
      });
      press.traits = ["personal-data-on-low"];
      add(press);

      const downloads = secureBucket(ctx, S.publicAcl, "us-east-1", at(2017, 5, 30));
      downloads.classificationTag = "medium";
      downloads.encryption = { algorithm: "AES256" };
      downloads.ownership = "ObjectWriter";
      downloads.aclExtraGrants = [{ group: "AllUsers", permission: "READ" }];
      downloads.publicAccessBlock = {
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      };
      downloads.policy = null;
      downloads.logging = null;
      downloads.traits = ["public-acl-read"];
      add(downloads);
      break;
    }
    case "acme-data-platform": {
      const scratch = secureBucket(ctx, S.unclassified, "ap-southeast-2", at(2024, 2, 19));
      scratch.classificationTag = null;
      scratch.encryption = { algorithm: "AES256" };
      scratch.policy = null;
      scratch.logging = null;
      scratch.versioning = "Off";
      scratch.mfaDelete = "Off";
      scratch.traits = ["unclassified"];
      add(scratch);

      const tfstate = secureBucket(ctx, S.policyReadDenied, "us-east-1", at(2022, 4, 4));
      tfstate.deniedOperations = ["GetBucketPolicy"];
      tfstate.traits = ["policy-read-denied"];
      add(tfstate);
      break;
    }
    case "acme-marketing": {
      const assets = secureBucket(ctx, S.publicRead, "us-east-1", at(2019, 10, 2));
      assets.classificationTag = "Low";
      assets.encryption = { algorithm: "AES256" };
      assets.publicAccessBlock = null;
      assets.policy = [{ kind: "public-read" }];
      assets.versioning = "Off";
      assets.mfaDelete = "Off";
      assets.traits = ["public-read"];
      add(assets);
      break;
    }
    case "acme-dev-sandbox": {
      const exp = secureBucket(ctx, S.unclassifiedNoTags, "us-east-1", at(2025, 1, 7));
      exp.classificationTag = null;
      exp.owner = null;
      exp.encryption = { algorithm: "AES256" };
      exp.policy = null;
      exp.logging = null;
      exp.versioning = "Off";
      exp.mfaDelete = "Off";
      exp.lifecycle = null;
      exp.traits = ["unclassified", "no-tags"];
      add(exp);
      break;
    }
    case "acme-legacy-apps": {
      const billing = secureBucket(ctx, S.inUnassumableAccount, "us-east-1", at(2018, 8, 8));
      billing.encryption = { algorithm: "AES256" };
      billing.traits = ["in-unassumable-account"];
      add(billing);
      break;
    }
  }
  return out;
}

// ───────────────────────────── region plans ─────────────────────────────

function rule(
  accountId: string,
  region: string,
  name: string,
  identifier: string,
  opts: { owner?: "AWS" | "CUSTOM_LAMBDA"; servicePath?: string; createdBy?: string } = {},
): FixtureConfigRule {
  const id = stableHex(6, accountId, region, name);
  const arn = opts.servicePath
    ? `arn:aws:config:${region}:${accountId}:config-rule/aws-service-rule/${opts.servicePath}/config-rule-${id}`
    : `arn:aws:config:${region}:${accountId}:config-rule/config-rule-${id}`;
  return {
    name,
    identifier,
    owner: opts.owner ?? "AWS",
    arn,
    ...(opts.createdBy ? { createdBy: opts.createdBy } : {}),
  };
}

/** The rule set most accounts deploy, under the names different deployment tools give them. */
function standardRules(
  accountId: string,
  region: string,
  rng: ReturnType<typeof createRandom>,
  conformancePack: boolean,
): FixtureConfigRule[] {
  const orgSuffix = stableHex(8, "org", accountId).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)] as string);
  const packId = stableHex(9, "pack", accountId);
  const rules = [
    rule(accountId, region, "s3-bucket-server-side-encryption-enabled", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"),
    rule(accountId, region, "s3-bucket-public-read-prohibited", "S3_BUCKET_PUBLIC_READ_PROHIBITED"),
    rule(accountId, region, "s3-bucket-public-write-prohibited", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"),
    conformancePack
      ? rule(
          accountId,
          region,
          `s3-bucket-ssl-requests-only-conformance-pack-${packId}`,
          "S3_BUCKET_SSL_REQUESTS_ONLY",
          { servicePath: "config-conforms.amazonaws.com", createdBy: "config-conforms.amazonaws.com" },
        )
      : rule(
          accountId,
          region,
          `securityhub-s3-bucket-ssl-requests-only-${stableHex(8, "sh", accountId, region)}`,
          "S3_BUCKET_SSL_REQUESTS_ONLY",
          { createdBy: "securityhub.amazonaws.com" },
        ),
    rule(accountId, region, `OrgConfigRule-s3-bucket-versioning-enabled-${orgSuffix}`, "S3_BUCKET_VERSIONING_ENABLED", {
      servicePath: "config-multiaccountsetup.amazonaws.com",
      createdBy: "config-multiaccountsetup.amazonaws.com",
    }),
    rule(accountId, region, "s3-bucket-logging-enabled", "S3_BUCKET_LOGGING_ENABLED"),
    rule(accountId, region, "s3-bucket-level-public-access-prohibited", "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"),
    rule(
      accountId,
      region,
      "s3-account-level-public-access-blocks-periodic",
      "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
    ),
    // Not S3, or not AWS-managed: the collector must leave these out.
    rule(accountId, region, "restricted-ssh", "INCOMING_SSH_DISABLED"),
    rule(
      accountId,
      region,
      "s3-bucket-tag-check",
      `arn:aws:lambda:${region}:${accountId}:function:config-s3-tag-check`,
      { owner: "CUSTOM_LAMBDA" },
    ),
  ];
  if (rng.chance(0.5)) rules.push(rule(accountId, region, "s3-default-encryption-kms", "S3_DEFAULT_ENCRYPTION_KMS"));
  if (rng.chance(0.3)) rules.push(rule(accountId, region, "s3-bucket-acl-prohibited", "S3_BUCKET_ACL_PROHIBITED"));
  if (rng.chance(0.2))
    rules.push(rule(accountId, region, "s3-bucket-replication-enabled", "S3_BUCKET_REPLICATION_ENABLED"));
  return rules;
}

function demoRegionPlan(account: FixtureAccount, region: string, seed: number): FixtureRegionPlan {
  const rng = createRandom(hash32(seed, "plan", account.accountId, region));
  const name = account.name;
  let macie: FixtureRegionPlan["macie"] = "ENABLED";
  if (name === "acme-dev-sandbox") macie = "DISABLED";
  else if (region === "ap-southeast-2")
    macie =
      name === "acme-data-platform"
        ? "PAUSED"
        : name === "acme-prod-payments" || name === "acme-security"
          ? "ENABLED"
          : "DISABLED";

  if (name === "acme-dev-sandbox") return { macie, config: { recorder: "none", rules: [] } };
  if (region === "ap-southeast-2" && name !== "acme-data-platform")
    return { macie, config: { recorder: name === "acme-marketing" ? "stopped" : "recording", rules: [] } };
  const rules = standardRules(account.accountId, region, rng, name === "acme-prod-payments");
  if (name === "acme-prod-payments" && !rules.some((r) => r.identifier === "S3_DEFAULT_ENCRYPTION_KMS")) {
    rules.push(rule(account.accountId, region, "s3-default-encryption-kms", "S3_DEFAULT_ENCRYPTION_KMS"));
  }
  return { macie, config: { recorder: "recording", rules } };
}

function genericRegionPlan(account: FixtureAccount, region: string, seed: number): FixtureRegionPlan {
  const rng = createRandom(hash32(seed, "plan", account.accountId, region));
  const macie = rng.weighted([
    ["ENABLED", 70],
    ["PAUSED", 5],
    ["DISABLED", 25],
  ] as const);
  const recorder = rng.weighted([
    ["recording", 75],
    ["stopped", 5],
    ["none", 20],
  ] as const);
  const rules =
    recorder !== "none" && rng.chance(0.7) ? standardRules(account.accountId, region, rng, rng.chance(0.3)) : [];
  return { macie, config: { recorder, rules } };
}

// ───────────────────────────── the estate ─────────────────────────────

export function generateFixtureEstate(opts: FixtureOptions = DEMO_FIXTURE_OPTIONS): FixtureEstate {
  const seed = opts.seed ?? 42;
  const scenario = opts.scenario ?? "generic";
  const regions = opts.regions?.length ? [...opts.regions] : [...DEMO_REGIONS];
  const accountCount = opts.accounts ?? (scenario === "demo" ? DEMO_ACCOUNTS.length : 8);
  const bucketsPerAccount = opts.bucketsPerAccount ?? 15;
  const failing = new Set(opts.failingAccountIds ?? []);
  const taken = new Set<string>();

  const accounts: FixtureAccount[] = [];
  for (let i = 0; i < accountCount; i++) {
    const accountId = accountIdFor(seed, i, taken);
    const demo = scenario === "demo" ? DEMO_ACCOUNTS[i] : undefined;
    const rng = createRandom(hash32(seed, "account-traits", i));
    const name = demo?.name ?? `acct-${String(i + 1).padStart(4, "0")}`;
    const genericOu =
      i % 10 === 0
        ? "Root/Security"
        : i % 10 === 9
          ? "Root/Sandbox"
          : `Root/Workloads/Team-${String((i % Math.max(3, Math.ceil(accountCount / 40))) + 1).padStart(2, "0")}`;
    const pabRoll = rng.next();
    accounts.push({
      accountId,
      name,
      ouPath: demo?.ouPath ?? genericOu,
      owner: demo?.owner ?? rng.pick(TEAMS),
      roleArn: `arn:aws:iam::${accountId}:role/${READ_ONLY_ROLE_NAME}`,
      externalId: `custody-${stableHex(20, seed, "external-id", accountId)}`,
      assumable: !failing.has(accountId) && name !== (scenario === "demo" ? DEMO_UNASSUMABLE_ACCOUNT_NAME : null),
      homeRegion: demo?.homeRegion ?? (rng.chance(0.8) ? (regions[0] as string) : rng.pick(regions)),
      email: `aws+${name}@acme.example`,
      accountPublicAccessBlock: demo
        ? name === "acme-marketing"
          ? null
          : name === "acme-dev-sandbox"
            ? { ...ALL_OFF }
            : { ...ALL_ON }
        : pabRoll < 0.7
          ? { ...ALL_ON }
          : pabRoll < 0.9
            ? null
            : { ...ALL_OFF },
    });
  }
  const managementAccountId = accounts[0]?.accountId ?? "000000000000";
  const organizationId = `o-${stableHex(10, seed, "org")}`;
  const rootId = `r-${stableHex(4, seed, "root")}`;

  // OUs: one per distinct path segment chain.
  const organizationalUnits: FixtureOrganizationalUnit[] = [];
  const ouByPath = new Map<string, FixtureOrganizationalUnit>();
  for (const account of accounts) {
    const parts = account.ouPath.split("/").slice(1);
    let parentId = rootId;
    for (let depth = 1; depth <= parts.length; depth++) {
      const path = ["Root", ...parts.slice(0, depth)].join("/");
      let ou = ouByPath.get(path);
      if (!ou) {
        ou = {
          id: `ou-${rootId.slice(2)}-${stableHex(8, seed, path)}`,
          name: parts[depth - 1] as string,
          path,
          parentId,
        };
        ouByPath.set(path, ou);
        organizationalUnits.push(ou);
      }
      parentId = ou.id;
    }
  }

  const accountIndex = new Map(accounts.map((a, i) => [a.accountId, i]));
  // Region plans are derived from (seed, account, region) alone, so they are made on first use: building them
  // eagerly was most of the cost of describing a 1,000-account estate.
  const plans = new Map<string, FixtureRegionPlan>();
  const regionPlan = (accountId: string, region: string): FixtureRegionPlan => {
    const key = `${accountId}|${region}`;
    let plan = plans.get(key);
    if (!plan) {
      const index = accountIndex.get(accountId);
      const account = index === undefined ? undefined : accounts[index];
      if (!account || !regions.includes(region)) return { macie: "DISABLED", config: { recorder: "none", rules: [] } };
      plan =
        scenario === "demo" && DEMO_ACCOUNTS.some((d) => d.name === account.name)
          ? demoRegionPlan(account, region, seed)
          : genericRegionPlan(account, region, seed);
      plans.set(key, plan);
    }
    return plan;
  };

  const accountIdsByName = new Map(accounts.map((a) => [a.name, a.accountId]));
  const peerCandidates = accounts.filter((a) => a.ouPath !== "Root/Sandbox").map((a) => a.accountId);
  const bucketMemo = new Map<string, FixtureBucket[]>();

  const bucketsOf = (accountId: string): FixtureBucket[] => {
    const cached = bucketMemo.get(accountId);
    if (cached) return cached;
    const index = accountIndex.get(accountId);
    if (index === undefined) return [];
    const account = accounts[index] as FixtureAccount;
    const peers = peerCandidates.filter((id) => id !== accountId);
    const rng = createRandom(hash32(seed, "peers", accountId));
    const ctx: BucketGenerationContext = {
      seed,
      accountIndex: index,
      accountId,
      accountSlug: account.name,
      homeRegion: account.homeRegion,
      regions,
      ownerTeam: account.owner,
      peerAccountIds: peers.length <= 3 ? peers : [rng.pick(peers), rng.pick(peers), rng.pick(peers)],
    };
    const specials = scenario === "demo" ? demoSpecials(ctx, accountIdsByName) : [];
    const buckets = specials.slice(0, bucketsPerAccount);
    for (let i = buckets.length; i < bucketsPerAccount; i++) buckets.push(generateBucket(ctx, i));
    bucketMemo.set(accountId, buckets);
    return buckets;
  };

  const configDisagreements: FixtureConfigDisagreement[] = [];
  const payments = accountIdsByName.get("acme-prod-payments");
  if (scenario === "demo" && payments) {
    configDisagreements.push({
      accountId: payments,
      region: "eu-west-1",
      bucketName: DEMO_SPECIAL_BUCKETS.unencryptedHigh,
      sourceIdentifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
      complianceType: "COMPLIANT",
      truth: "NON_COMPLIANT",
      // Evaluated once, long ago, before someone removed the default encryption configuration.
      recordedAt: new Date(Date.UTC(2022, 10, 3, 9, 12)).toISOString(),
      annotation: null,
    });
  }

  return {
    seed,
    scenario,
    organizationId,
    managementAccountId,
    rootId,
    regions,
    accounts,
    organizationalUnits,
    bucketsPerAccount,
    bucketCount: accounts.length * bucketsPerAccount,
    bucketsOf,
    allBuckets: () => accounts.flatMap((a) => bucketsOf(a.accountId)),
    regionPlan,
    configDisagreements,
    specialBuckets: scenario === "demo" ? DEMO_SPECIAL_BUCKETS : null,
    latencyMs: opts.latencyMs ?? 0,
    throttle: opts.throttle ?? null,
  };
}

// ───────────────────────────── the connector ─────────────────────────────

export interface FixtureConnectorOptions {
  latencyMs?: number;
  throttle?: { ratePerSecondPerAccountApi: number } | null;
  /**
   * Attempts per command before a throttling error reaches the collector, like the SDK's retry strategy
   * (default 3, the SDK's default). Set 1 to surface every throttle.
   */
  maxAttempts?: number;
  /** Base backoff between throttled attempts (default 50 ms; doubled per attempt, with jitter). */
  retryBaseDelayMs?: number;
}

export interface FixtureConnector extends AwsConnector, ConnectionTester {
  /** How many attempts were throttled (including those absorbed by the emulated retry). */
  throttledAttempts(): number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly ratePerSecond: number) {}

  take(key: string): boolean {
    const now = performance.now();
    const b = this.buckets.get(key) ?? { tokens: this.ratePerSecond, at: now };
    b.tokens = Math.min(this.ratePerSecond, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

function assumeRoleDenied(account: AccountRef, why: string): AssumeRoleError {
  return new AssumeRoleError(
    "AccessDenied",
    `User: arn:aws:sts::${"000000000000"}:assumed-role/custody-hub/custody is not authorized to perform: sts:AssumeRole on resource: ${account.roleArn}`,
    `Custody could not assume ${account.roleArn}. ${why}`,
  );
}

export function createFixtureConnector(estate: FixtureEstate, opts: FixtureConnectorOptions = {}): FixtureConnector {
  const counter = new CallCounter();
  const latencyMs = opts.latencyMs ?? estate.latencyMs;
  const throttle = opts.throttle === undefined ? estate.throttle : opts.throttle;
  const buckets = throttle ? new TokenBuckets(throttle.ratePerSecondPerAccountApi) : null;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const baseDelay = opts.retryBaseDelayMs ?? 50;
  const worlds = new Map<string, FixtureAccountWorld>();
  const accountsById = new Map(estate.accounts.map((a) => [a.accountId, a]));
  let throttled = 0;
  let requestSeq = 0;

  const check = (ref: AccountRef): FixtureAccount => {
    const account = accountsById.get(ref.accountId);
    if (!account || ref.roleArn !== account.roleArn) {
      throw assumeRoleDenied(
        ref,
        "The role does not exist in that account, or its trust policy does not trust Custody's hub identity.",
      );
    }
    if (!account.assumable) {
      // The demo's unassumable account is there on purpose: say so wherever its failure shows (CLI, log, Accounts).
      const demoNote =
        account.name === DEMO_UNASSUMABLE_ACCOUNT_NAME
          ? ` (Part of the demo: ${DEMO_UNASSUMABLE_ACCOUNT_NAME} deliberately does not trust Custody, to show how an account that cannot be read looks. Nothing is wrong with your installation.)`
          : "";
      throw assumeRoleDenied(
        ref,
        `The role's trust policy does not trust Custody's hub identity (or requires a different ExternalId). Redeploy the read-only role template in that account.${demoNote}`,
      );
    }
    if (ref.externalId !== account.externalId) {
      throw assumeRoleDenied(ref, "The ExternalId Custody sent does not match the one in the role's trust policy.");
    }
    return account;
  };

  const send = async (
    service: AwsServiceKey,
    account: FixtureAccount,
    region: string,
    command: unknown,
  ): Promise<unknown> => {
    const operation = operationNameOf(command);
    assertReadOnlyOperation(service, operation);
    counter.record(service, operation);
    const input = ((command as { input?: unknown }).input ?? {}) as Record<string, unknown>;
    for (let attempt = 1; ; attempt++) {
      if (latencyMs > 0) await sleep(latencyMs);
      if (buckets && !buckets.take(`${account.accountId}|${service}|${operation}`)) {
        throttled++;
        if (attempt >= maxAttempts) throw throttlingError(service);
        await sleep(baseDelay * 2 ** (attempt - 1) * (0.5 + Math.random()));
        continue;
      }
      break;
    }
    let world = worlds.get(account.accountId);
    if (!world) {
      world = createAccountWorld(estate, account);
      worlds.set(account.accountId, world);
    }
    const output = (() => {
      switch (service) {
        case "s3":
          return answerS3(world, region, operation, input);
        case "s3control":
          return answerS3Control(world, operation, input);
        case "config":
          return answerConfig(world, estate.regionPlan(account.accountId, region), region, operation, input);
        case "macie":
          return answerMacie(world, estate.regionPlan(account.accountId, region), region, operation, input);
        default:
          throw new UnsupportedFixtureOperationError(service, operation);
      }
    })();
    // Copy so a collector mutating an output can never corrupt the fixture's memoized data.
    return {
      ...structuredClone(output as object),
      $metadata: {
        httpStatusCode: 200,
        requestId: (++requestSeq).toString(16).padStart(16, "0"),
        attempts: 1,
        totalRetryDelay: 0,
      },
    };
  };

  const clientFor = (service: AwsServiceKey, account: FixtureAccount, region: string) => ({
    // The SDK's `send` is overloaded (promise and callback forms); the collectors use the promise form only.
    send: ((command: unknown) => send(service, account, region, command)) as never,
  });

  return {
    async connect(ref: AccountRef): Promise<AccountClients> {
      counter.record("sts", "AssumeRole");
      if (latencyMs > 0) await sleep(latencyMs);
      const account = check(ref);
      const cache = new Map<string, ReturnType<typeof clientFor>>();
      const cached = (service: AwsServiceKey, region: string) => {
        const key = `${service}|${region}`;
        let c = cache.get(key);
        if (!c) {
          c = clientFor(service, account, region);
          cache.set(key, c);
        }
        return c;
      };
      return {
        s3: (region) => cached("s3", region),
        s3control: (region) => cached("s3control", region),
        config: (region) => cached("config", region),
        macie: (region) => cached("macie", region),
      };
    },
    callCounts: () => counter.snapshot(),
    throttledAttempts: () => throttled,
    async testConnection(ref: AccountRef): Promise<ConnectionTestResult> {
      counter.record("sts", "AssumeRole");
      try {
        const account = check(ref);
        counter.record("sts", "GetCallerIdentity");
        return {
          ok: true,
          callerArn: `arn:aws:sts::${account.accountId}:assumed-role/${READ_ONLY_ROLE_NAME}/custody-collector`,
          accountId: account.accountId,
          externalIdEnforced: true,
        };
      } catch (e) {
        const err = e as AssumeRoleError;
        return { ok: false, code: err.code, message: err.message, explanation: err.explanation };
      }
    },
  };
}

// ───────────────────────────── Organizations ─────────────────────────────

/** An Organizations client answering from the estate (management account view), for account discovery. */
export function createFixtureOrganizationsClient(
  estate: FixtureEstate,
): Pick<OrganizationsClient, "send"> & { callCounts(): Record<string, number> } {
  const counter = new CallCounter();
  const ouById = new Map(estate.organizationalUnits.map((ou) => [ou.id, ou]));
  const ouByPath = new Map(estate.organizationalUnits.map((ou) => [ou.path, ou]));
  const orgError = (name: string, message: string) => fixtureServiceError("organizations", name, 400, message);
  const send = async (command: unknown): Promise<unknown> => {
    const operation = operationNameOf(command);
    assertReadOnlyOperation("organizations", operation);
    counter.record("organizations", operation);
    const input = ((command as { input?: unknown }).input ?? {}) as Record<string, unknown>;
    const meta = { $metadata: { httpStatusCode: 200 } };
    switch (operation) {
      case "ListAccounts": {
        const max = typeof input.MaxResults === "number" ? input.MaxResults : 20;
        if (max < 1 || max > 20) throw orgError("InvalidInputException", "MaxResults must be between 1 and 20");
        const offset = input.NextToken ? Number(Buffer.from(String(input.NextToken), "base64").toString("utf8")) : 0;
        const page = estate.accounts.slice(offset, offset + max);
        return {
          ...meta,
          Accounts: page.map((a) => ({
            Id: a.accountId,
            Arn: `arn:aws:organizations::${estate.managementAccountId}:account/${estate.organizationId}/${a.accountId}`,
            Email: a.email,
            Name: a.name,
            Status: "ACTIVE",
            State: "ACTIVE",
            JoinedMethod: a.accountId === estate.managementAccountId ? "CREATED" : "INVITED",
            JoinedTimestamp: new Date(FIXTURE_REFERENCE_DATE - (400 + (hash32(a.accountId) % 2000)) * DAY),
          })),
          ...(offset + max < estate.accounts.length
            ? { NextToken: Buffer.from(String(offset + max)).toString("base64") }
            : {}),
        };
      }
      case "ListParents": {
        const child = String(input.ChildId ?? "");
        const account = estate.accounts.find((a) => a.accountId === child);
        const parentId = account ? (ouByPath.get(account.ouPath)?.id ?? estate.rootId) : ouById.get(child)?.parentId;
        if (!parentId) throw orgError("ChildNotFoundException", `We can't find a child with the ID ${child}.`);
        return {
          ...meta,
          Parents: [{ Id: parentId, Type: parentId === estate.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT" }],
        };
      }
      case "DescribeOrganizationalUnit": {
        const ou = ouById.get(String(input.OrganizationalUnitId ?? ""));
        if (!ou)
          throw orgError(
            "OrganizationalUnitNotFoundException",
            "We can't find an organizational unit (OU) with the specified OU ID.",
          );
        return {
          ...meta,
          OrganizationalUnit: {
            Id: ou.id,
            Name: ou.name,
            Arn: `arn:aws:organizations::${estate.managementAccountId}:ou/${estate.organizationId}/${ou.id}`,
          },
        };
      }
      default:
        throw new UnsupportedFixtureOperationError("organizations", operation);
    }
  };
  return { send: send as never, callCounts: () => counter.snapshot() };
}

/** Re-exported type only, so callers of generateFixtureEstate can name what bucketsOf returns. */
export type { FixtureBucket } from "./fixture-bucket-traits";
