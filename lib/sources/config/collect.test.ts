import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  DescribeConfigRulesCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type EvaluationResult,
} from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { collectConfigRegion, S3_CONFIG_RULE_IDENTIFIERS, toS3RuleRecord } from "./collect";

const client = new ConfigServiceClient({
  region: "eu-west-1",
  credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
});
const mock = mockClient(client);
afterEach(() => mock.reset());
const ctx = { accountId: "111122223333", region: "eu-west-1" };

const evaluation = (
  rule: string,
  bucket: string,
  type: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE",
  resourceType = "AWS::S3::Bucket",
): EvaluationResult => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: {
      ConfigRuleName: rule,
      ResourceType: resourceType,
      ResourceId: bucket,
      EvaluationMode: "DETECTIVE",
    },
    OrderingTimestamp: new Date("2026-07-30T10:00:00Z"),
  },
  ComplianceType: type,
  ResultRecordedTime: new Date("2026-07-30T10:00:05Z"),
  ConfigRuleInvokedTime: new Date("2026-07-30T09:59:00Z"),
  ...(type === "NON_COMPLIANT" ? { Annotation: "Versioning is not enabled." } : {}),
});

describe("collectConfigRegion", () => {
  it("keeps AWS-managed S3 rules by SourceIdentifier whatever their name, across DescribeConfigRules pages", async () => {
    mock
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [{ name: "default", recording: true, lastStatus: "Success" }] });
    mock.on(DescribeConfigRulesCommand).resolves({
      ConfigRules: [
        {
          ConfigRuleName: "OrgConfigRule-s3-bucket-versioning-enabled-dbgzf8ba",
          ConfigRuleArn: "arn:1",
          Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED" },
        },
        { ConfigRuleName: "restricted-ssh", Source: { Owner: "AWS", SourceIdentifier: "INCOMING_SSH_DISABLED" } },
        {
          ConfigRuleName: "s3-bucket-versioning-enabled",
          Source: { Owner: "CUSTOM_LAMBDA", SourceIdentifier: "arn:aws:lambda:eu-west-1:111122223333:function:x" },
        },
      ],
      NextToken: "next",
    });
    mock.on(DescribeConfigRulesCommand, { NextToken: "next" }).resolves({
      ConfigRules: [
        {
          ConfigRuleName: "s3-bucket-ssl-requests-only-conformance-pack-abc123xyz",
          ConfigRuleArn: "arn:2",
          Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY" },
        },
        {
          ConfigRuleName: "being-deleted",
          ConfigRuleState: "DELETING",
          Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_LOGGING_ENABLED" },
        },
      ],
    });
    mock.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });

    const result = await collectConfigRegion(client, ctx);

    expect(result.error).toBeNull();
    expect(result.recorder).toEqual({ status: "present", value: { recording: true, lastStatus: "Success" } });
    expect(result.rules).toEqual([
      {
        ruleName: "OrgConfigRule-s3-bucket-versioning-enabled-dbgzf8ba",
        sourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
        ruleArn: "arn:1",
      },
      {
        ruleName: "s3-bucket-ssl-requests-only-conformance-pack-abc123xyz",
        sourceIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY",
        ruleArn: "arn:2",
      },
    ]);
    expect(mock.commandCalls(DescribeConfigRulesCommand)).toHaveLength(2);
  });

  it("pages GetComplianceDetailsByConfigRule with Limit 100 and keeps only AWS::S3::Bucket results", async () => {
    mock.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [] });
    mock.on(DescribeConfigRulesCommand).resolves({
      ConfigRules: [
        { ConfigRuleName: "versioning", Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED" } },
        {
          ConfigRuleName: "account-bpa",
          Source: { Owner: "AWS", SourceIdentifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC" },
        },
      ],
    });
    mock.on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "versioning" }).resolves({
      EvaluationResults: [evaluation("versioning", "a", "COMPLIANT"), evaluation("versioning", "b", "NON_COMPLIANT")],
      NextToken: "p2",
    });
    mock.on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "versioning", NextToken: "p2" }).resolves({
      EvaluationResults: [evaluation("versioning", "c", "NOT_APPLICABLE")],
    });
    mock.on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "account-bpa" }).resolves({
      EvaluationResults: [evaluation("account-bpa", "111122223333", "COMPLIANT", "AWS::::Account")],
    });

    const result = await collectConfigRegion(client, ctx);

    expect(result.recorder).toEqual({ status: "absent" });
    expect(result.evaluations).toEqual([
      {
        ruleName: "versioning",
        sourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
        bucketName: "a",
        complianceType: "COMPLIANT",
        recordedAt: "2026-07-30T10:00:05.000Z",
        annotation: null,
      },
      {
        ruleName: "versioning",
        sourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
        bucketName: "b",
        complianceType: "NON_COMPLIANT",
        recordedAt: "2026-07-30T10:00:05.000Z",
        annotation: "Versioning is not enabled.",
      },
      {
        ruleName: "versioning",
        sourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
        bucketName: "c",
        complianceType: "NOT_APPLICABLE",
        recordedAt: "2026-07-30T10:00:05.000Z",
        annotation: null,
      },
    ]);
    for (const call of mock.commandCalls(GetComplianceDetailsByConfigRuleCommand))
      expect(call.args[0].input.Limit).toBe(100);
  });

  it("a failure listing rules is reported as the region's error; recorder failure alone only makes the recorder unknown", async () => {
    const denied = new ConfigServiceServiceException({
      name: "AccessDeniedException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: "not authorized to perform: config:DescribeConfigRules",
    });
    mock.on(DescribeConfigurationRecorderStatusCommand).rejects(denied);
    mock.on(DescribeConfigRulesCommand).rejects(denied);
    const result = await collectConfigRegion(client, ctx);
    expect(result.recorder).toMatchObject({ status: "unknown", errorCode: "AccessDeniedException" });
    expect(result.error).toEqual({
      code: "AccessDeniedException",
      message: "not authorized to perform: config:DescribeConfigRules",
    });
    expect(result.rules).toEqual([]);
  });

  it("a throttled evaluation page sets error but keeps the other rules' evaluations", async () => {
    mock
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [{ name: "default", recording: false, lastStatus: "Failure" }] });
    mock.on(DescribeConfigRulesCommand).resolves({
      ConfigRules: [
        { ConfigRuleName: "r1", Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_LOGGING_ENABLED" } },
        { ConfigRuleName: "r2", Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_VERSIONING_ENABLED" } },
      ],
    });
    mock.on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "r1" }).rejects(
      new ConfigServiceServiceException({
        name: "ThrottlingException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
        message: "Rate exceeded",
      }),
    );
    mock
      .on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "r2" })
      .resolves({ EvaluationResults: [evaluation("r2", "x", "COMPLIANT")] });
    const result = await collectConfigRegion(client, ctx);
    expect(result.recorder).toEqual({ status: "present", value: { recording: false, lastStatus: "Failure" } });
    expect(result.error).toEqual({ code: "ThrottlingException", message: "Rate exceeded" });
    expect(result.evaluations.map((e) => e.bucketName)).toEqual(["x"]);
  });
});

describe("S3_CONFIG_RULE_IDENTIFIERS", () => {
  it("covers every rule identifier named in DESIGN §5", () => {
    for (const id of [
      "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
      "S3_DEFAULT_ENCRYPTION_KMS",
      "S3_BUCKET_SSL_REQUESTS_ONLY",
      "S3_BUCKET_PUBLIC_READ_PROHIBITED",
      "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
      "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
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
    ]) {
      expect(S3_CONFIG_RULE_IDENTIFIERS).toContain(id);
    }
  });
  it("a custom rule that reuses a managed rule's name is not matched", () => {
    expect(
      toS3RuleRecord({
        ConfigRuleName: "s3-bucket-logging-enabled",
        Source: { Owner: "CUSTOM_POLICY", SourceIdentifier: "S3_BUCKET_LOGGING_ENABLED" },
      }),
    ).toBeNull();
  });
});
