/**
 * SNS: the topics the bucket-change alarms notify and their subscriptions — the last link of the bucket-change
 * alerting chain. Runs after CloudWatch, whose freshly stored alarms name the topics.
 */
import type { Source } from "@/lib/sources/shared/source";
import { collectAlarmTopics, snsService } from "./collect";
import { snsFixture } from "./fixture";
import { alarmTopicArnsOf, loadAlarmTopics } from "./load";

export const snsSource: Source = {
  key: snsService.key,
  commands: {
    GetTopicAttributesCommand: ["sns:GetTopicAttributes"],
    ListSubscriptionsByTopicCommand: ["sns:ListSubscriptionsByTopic"],
  },
  fixture: snsFixture,
  sync: {
    scope: "account",
    after: ["cloudwatch"],
    async run({ db, clients, syncRunId, accountId, readAt }) {
      const { topicArns, allAlarmsRead } = await alarmTopicArnsOf(db, accountId);
      const collection = await collectAlarmTopics(clients, { accountId, topicArns });
      await loadAlarmTopics(db, { syncRunId, accountId, readAt, collection, deleteUnread: allAlarmsRead });
      return { itemsRead: collection.topics.length, error: collection.error };
    },
  },
};
