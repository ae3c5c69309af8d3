/**
 * The fixture AWS's AWS Config: the recorder and rules of each region plan, and what each AWS-managed rule would
 * truthfully conclude about the generated buckets (except the estate's deliberate disagreements, e.g. stale).
 */
import type {
  DescribeConfigRulesResponse,
  DescribeConfigurationRecorderStatusResponse,
  EvaluationResult,
  GetComplianceDetailsByConfigRuleResponse,
} from "@aws-sdk/client-config-service";
import { ConfigServiceServiceException } from "@aws-sdk/client-config-service";
import { FIXTURE_REFERENCE_DATE, type FixtureBucket } from "@/lib/sources/fixture/bucket-traits";
import type { FixtureAccount, FixtureRegionPlan } from "@/lib/sources/fixture/estate";
import { hash32, stableHex } from "@/lib/sources/fixture/random";
import {
  DAY,
  decodeToken,
  encodeToken,
  fixtureServiceError,
  isPolicyPublic,
  memo,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const configError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(ConfigServiceServiceException, name, httpStatusCode, message);

export const configFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) =>
    answerConfig(world, world.estate.regionPlan(world.account.accountId, region), region, operation, input),
  throttlingError: () => configError("ThrottlingException", 400, "Rate exceeded"),
};

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
          throw configError(
            "NoSuchConfigRuleException",
            400,
            `The ConfigRule '${missing}' provided in the request is invalid. Please check the configRule name.`,
          );
        rules = rules.filter((r) => names.includes(r.name));
      }
      const offset = decodeToken(input.NextToken as string | undefined, (message) =>
        configError("InvalidNextTokenException", 400, message),
      );
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
        throw configError(
          "NoSuchConfigRuleException",
          400,
          `The ConfigRule '${String(input.ConfigRuleName)}' provided in the request is invalid. Please check the configRule name.`,
        );
      const limit = input.Limit === undefined ? 10 : Number(input.Limit);
      if (!(limit >= 0 && limit <= 100))
        throw configError("InvalidLimitException", 400, "The limit must be between 0 and 100");
      const pageSize = limit === 0 ? 10 : limit;
      const types = Array.isArray(input.ComplianceTypes) ? (input.ComplianceTypes as string[]) : null;
      const all = rule.owner === "AWS" ? evaluationsFor(world, region, rule.name, rule.identifier) : [];
      const filtered = types ? all.filter((e) => types.includes(e.ComplianceType ?? "")) : all;
      const offset = decodeToken(input.NextToken as string | undefined, (message) =>
        configError("InvalidNextTokenException", 400, message),
      );
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
