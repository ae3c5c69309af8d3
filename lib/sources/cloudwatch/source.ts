/**
 * CloudWatch: the alarms on the metrics of the account's trail metric filters — the third link of the
 * bucket-change alerting chain. Runs after CloudWatch Logs, whose freshly stored filters name the metrics.
 */
import type { Source } from "@/lib/sources/shared/source";
import { cloudwatchService, collectFilterMetricAlarms } from "./collect";
import { cloudwatchFixture } from "./fixture";
import { filterMetricsOf, loadMetricAlarms } from "./load";

export const cloudwatchSource: Source = {
  key: cloudwatchService.key,
  commands: {
    DescribeAlarmsCommand: ["cloudwatch:DescribeAlarms"],
  },
  fixture: cloudwatchFixture,
  sync: {
    scope: "account",
    after: ["logs"],
    async run({ db, clients, syncRunId, accountId, readAt }) {
      const { metrics, allGroupsRead } = await filterMetricsOf(db, accountId);
      const collection = await collectFilterMetricAlarms(clients, { accountId, metrics });
      await loadMetricAlarms(db, { syncRunId, accountId, readAt, collection, deleteUnread: allGroupsRead });
      return { itemsRead: collection.regions.length, error: collection.error };
    },
  },
};
