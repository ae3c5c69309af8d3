/**
 * CloudWatch Logs: the metric filters on the log groups the account's own trails deliver to — the second link of
 * the bucket-change alerting chain. Runs after CloudTrail (registry order), whose freshly stored trails name the
 * groups.
 */
import type { Source } from "@/lib/sources/shared/source";
import { collectLogGroupMetricFilters, logsService } from "./collect";
import { logsFixture } from "./fixture";
import { loadLogGroupMetricFilters, trailLogGroupArnsOf } from "./load";

export const logsSource: Source = {
  key: logsService.key,
  commands: {
    DescribeMetricFiltersCommand: ["logs:DescribeMetricFilters"],
  },
  fixture: logsFixture,
  sync: {
    scope: "account",
    after: ["cloudtrail"],
    async run({ db, clients, syncRunId, accountId, readAt }) {
      const logGroupArns = await trailLogGroupArnsOf(db, accountId);
      const collection = await collectLogGroupMetricFilters(clients, { accountId, logGroupArns });
      await loadLogGroupMetricFilters(db, { syncRunId, accountId, readAt, collection });
      return { itemsRead: collection.groups.length, error: collection.error };
    },
  },
};
