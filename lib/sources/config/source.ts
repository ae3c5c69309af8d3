/** AWS Config: the recorder, the AWS-managed S3 rules deployed and their verdict per bucket, per region. */
import type { Source } from "@/lib/sources/shared/source";
import { configService, collectConfigRegion } from "./collect";
import { configFixture } from "./fixture";
import { loadConfigRegion } from "./load";

export const configSource: Source = {
  key: configService.key,
  commands: {
    DescribeConfigurationRecorderStatusCommand: ["config:DescribeConfigurationRecorderStatus"],
    DescribeConfigRulesCommand: ["config:DescribeConfigRules"],
    GetComplianceDetailsByConfigRuleCommand: ["config:GetComplianceDetailsByConfigRule"],
  },
  fixture: configFixture,
  sync: {
    scope: "region",
    async run({ db, clients, syncRunId, accountId, region, readAt }) {
      const collection = await collectConfigRegion(clients.get(configService, region), { accountId, region });
      await loadConfigRegion(db, { syncRunId, accountId, region, readAt, collection });
      return { itemsRead: collection.evaluations.length, error: collection.error };
    },
  },
};
