/**
 * AWS Config collector for one account and region: is Config recording, which AWS-managed S3 rules are deployed
 * (matched by SourceIdentifier, never by name: conformance packs, Organization rules and Security Hub all rename
 * them), and each rule's verdict per bucket. Config is regional, so the sync calls this once per region.
 */
import {
  DescribeConfigRulesCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type ConfigRule,
  ConfigServiceClient,
} from "@aws-sdk/client-config-service";
import { absent, present, unknown, type Setting } from "@/lib/domain/bucket-settings";
import { describeAwsError, settle, type AwsCallError } from "@/lib/sources/shared/aws-call-result";
import type { AwsService } from "@/lib/sources/shared/connector";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";

/** The AWS Config client of an account and region. */
export const configService: AwsService<ConfigServiceClient> = {
  key: "config",
  create: (config) => new ConfigServiceClient(config),
};

/** The AWS-managed S3 rules Custody maps to its own controls (DESIGN §5), by Source.SourceIdentifier. */
export const S3_CONFIG_RULE_IDENTIFIERS = [
  "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
  "S3_DEFAULT_ENCRYPTION_KMS",
  "S3_BUCKET_SSL_REQUESTS_ONLY",
  "S3_BUCKET_PUBLIC_READ_PROHIBITED",
  "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
  "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
  "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS",
  "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
  "S3_BUCKET_POLICY_GRANTEE_CHECK",
  "S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE",
  "S3_BUCKET_ACL_PROHIBITED",
  "S3_BUCKET_LOGGING_ENABLED",
  "S3_BUCKET_VERSIONING_ENABLED",
  "S3_BUCKET_MFA_DELETE_ENABLED",
  "S3_BUCKET_DEFAULT_LOCK_ENABLED",
  "S3_BUCKET_REPLICATION_ENABLED",
  "S3_LIFECYCLE_POLICY_CHECK",
] as const;

export type S3ConfigRuleIdentifier = (typeof S3_CONFIG_RULE_IDENTIFIERS)[number];

const KNOWN_IDENTIFIERS: ReadonlySet<string> = new Set(S3_CONFIG_RULE_IDENTIFIERS);

export interface ConfigRuleRecord {
  ruleName: string;
  sourceIdentifier: string;
  ruleArn: string | null;
}

export interface ConfigEvaluationRecord {
  ruleName: string;
  sourceIdentifier: string;
  bucketName: string;
  complianceType: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";
  recordedAt: string;
  annotation: string | null;
}

export interface ConfigRegionCollection {
  /** absent = no configuration recorder in this region; unknown = could not read. */
  recorder: Setting<{ recording: boolean; lastStatus: string | null }>;
  rules: ConfigRuleRecord[];
  evaluations: ConfigEvaluationRecord[];
  /**
   * First failure that leaves rules or evaluations incomplete (a recorder-status failure only makes `recorder`
   * unknown). Non-null ⇒ the sync must not mark this region's earlier evaluations gone.
   */
  error: { code: string; message: string } | null;
}

/** GetComplianceDetailsByConfigRule's maximum page size. */
const EVALUATION_PAGE_LIMIT = 100;
const RULE_CONCURRENCY = 4;
const BUCKET_RESOURCE_TYPE = "AWS::S3::Bucket";

export async function collectConfigRegion(
  client: Pick<ConfigServiceClient, "send">,
  // The client is already bound to the account and region; the context keeps the signature symmetric with
  // collectMacieRegion (which filters by account) and is where an aggregator variant would need them.
  _ctx: { accountId: string; region: string },
): Promise<ConfigRegionCollection> {
  let error: { code: string; message: string } | null = null;
  const fail = (e: AwsCallError) => {
    error ??= { code: e.name, message: e.message };
  };

  const recorderResult = await settle(client.send(new DescribeConfigurationRecorderStatusCommand({})));
  let recorder: ConfigRegionCollection["recorder"];
  if (!recorderResult.ok) {
    recorder = unknown(describeAwsError(recorderResult.error), recorderResult.error.name);
  } else {
    const statuses = recorderResult.output.ConfigurationRecordersStatus ?? [];
    const main = statuses.find((s) => s.recording) ?? statuses[0];
    recorder = main ? present({ recording: main.recording === true, lastStatus: main.lastStatus ?? null }) : absent();
  }

  const rules: ConfigRuleRecord[] = [];
  let token: string | undefined;
  do {
    const page = await settle(client.send(new DescribeConfigRulesCommand({ NextToken: token })));
    if (!page.ok) {
      fail(page.error);
      return { recorder, rules, evaluations: [], error };
    }
    for (const rule of page.output.ConfigRules ?? []) {
      const record = toS3RuleRecord(rule);
      if (record) rules.push(record);
    }
    token = page.output.NextToken || undefined;
  } while (token);

  const perRule = await mapWithConcurrency(rules, RULE_CONCURRENCY, async (rule) => {
    const evaluations: ConfigEvaluationRecord[] = [];
    let next: string | undefined;
    do {
      const page = await settle(
        client.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: rule.ruleName,
            Limit: EVALUATION_PAGE_LIMIT,
            NextToken: next,
          }),
        ),
      );
      if (!page.ok) {
        fail(page.error);
        break;
      }
      for (const result of page.output.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        if (qualifier?.ResourceType !== BUCKET_RESOURCE_TYPE || !qualifier.ResourceId) continue;
        const type = result.ComplianceType;
        // Individual results only carry these three; INSUFFICIENT_DATA exists only at summary level.
        if (type !== "COMPLIANT" && type !== "NON_COMPLIANT" && type !== "NOT_APPLICABLE") continue;
        const recorded = result.ResultRecordedTime ?? result.EvaluationResultIdentifier?.OrderingTimestamp;
        evaluations.push({
          ruleName: rule.ruleName,
          sourceIdentifier: rule.sourceIdentifier,
          bucketName: qualifier.ResourceId,
          complianceType: type,
          recordedAt: recorded ? new Date(recorded).toISOString() : new Date(0).toISOString(),
          annotation: result.Annotation ?? null,
        });
      }
      next = page.output.NextToken || undefined;
    } while (next);
    return evaluations;
  });

  return { recorder, rules, evaluations: perRule.flat(), error };
}

/** An AWS-managed rule with a known S3 identifier, whatever it is called; rules being deleted are skipped. */
export function toS3RuleRecord(rule: ConfigRule): ConfigRuleRecord | null {
  const identifier = rule.Source?.SourceIdentifier;
  if (rule.Source?.Owner !== "AWS" || !identifier || !KNOWN_IDENTIFIERS.has(identifier)) return null;
  if (!rule.ConfigRuleName) return null;
  if (rule.ConfigRuleState === "DELETING" || rule.ConfigRuleState === "DELETING_RESULTS") return null;
  return { ruleName: rule.ConfigRuleName, sourceIdentifier: identifier, ruleArn: rule.ConfigRuleArn ?? null };
}
