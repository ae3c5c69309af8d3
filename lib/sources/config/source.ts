/** AWS Config: the recorder, the AWS-managed S3 rules deployed and their verdict per bucket, per region. */
import type { Source } from "@/lib/sources/shared/source";
import { configService } from "./client";
import { configFixture } from "./fixture";

export const configSource: Source = {
  key: configService.key,
  commands: {
    DescribeConfigurationRecorderStatusCommand: ["config:DescribeConfigurationRecorderStatus"],
    DescribeConfigRulesCommand: ["config:DescribeConfigRules"],
    GetComplianceDetailsByConfigRuleCommand: ["config:GetComplianceDetailsByConfigRule"],
  },
  fixture: configFixture,
};
