/**
 * SNS collector for one account: each topic the stored bucket-change alarms notify (only `arn:…:sns:` actions),
 * read in the topic's region (from its ARN) — GetTopicAttributes (it exists; its display name) and
 * ListSubscriptionsByTopic (paged by NextToken) for the subscription ARNs, where "PendingConfirmation" means no one
 * confirmed yet. The last link of the bucket-change alerting chain: a topic with no confirmed subscription tells no
 * one. Endpoints (e-mail addresses) are not kept.
 *
 * A topic in another account is tried with this account's role: its topic policy rarely lets it in, so
 * AuthorizationError is expected there and kept as the topic's unknown reason (not as the task's failure). A topic
 * that does not exist (NotFound) truthfully has no subscriber: stored as read, with none.
 */
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import { describeAwsError, settleIn } from "@/lib/sources/shared/aws-call-result";
import type { AccountClients, AwsService } from "@/lib/sources/shared/connector";

export const snsService: AwsService<SNSClient> = {
  key: "sns",
  create: (config) => new SNSClient(config),
};

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A topic as stored (lib/domain/alerting's AlertingTopic, plus its display name). */
export interface TopicValue {
  arn: string;
  subscriptionArns: string[];
  displayName: string | null;
}

export interface TopicRecord {
  arn: string;
  region: string;
  topic: Read<TopicValue>;
}

export interface SnsCollection {
  topics: TopicRecord[];
  /** The first own topic that could not be read: the task fails, the account is partial. */
  error: { code: string; message: string } | null;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[^:]+$/;
const TOPIC_CONCURRENCY = 4;
// The SDK names SNS's NotFound error code NotFoundException (AuthorizationError: AuthorizationErrorException).
const NOT_FOUND = new Set(["NotFoundException", "NotFound"]);

export async function collectAlarmTopics(
  clients: AccountClients,
  ctx: { accountId: string; topicArns: string[] },
): Promise<SnsCollection> {
  let error: SnsCollection["error"] = null;
  const topics = await mapWithConcurrency(
    [...new Set(ctx.topicArns)].sort(),
    TOPIC_CONCURRENCY,
    async (arn): Promise<TopicRecord | null> => {
      const m = TOPIC_ARN.exec(arn);
      if (!m) return null;
      const region = m[1]!;
      const own = m[2] === ctx.accountId;
      const client = clients.get(snsService, region);
      const failed = (e: { name: string; message: string }): TopicRecord => {
        if (own) error ??= { code: e.name, message: e.message };
        return { arn, region, topic: { ok: false, reason: describeAwsError(e) } };
      };
      const gone: TopicRecord = {
        arn,
        region,
        topic: { ok: true, value: { arn, subscriptionArns: [], displayName: null } },
      };

      const attributes = await settleIn(region, client.send(new GetTopicAttributesCommand({ TopicArn: arn })));
      if (!attributes.ok) return NOT_FOUND.has(attributes.error.name) ? gone : failed(attributes.error);
      const subscriptionArns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await settleIn(
          region,
          client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: nextToken })),
        );
        if (!page.ok) return NOT_FOUND.has(page.error.name) ? gone : failed(page.error);
        for (const s of page.output.Subscriptions ?? [])
          if (s.SubscriptionArn) subscriptionArns.push(s.SubscriptionArn);
        nextToken = page.output.NextToken || undefined;
      } while (nextToken);
      return {
        arn,
        region,
        topic: {
          ok: true,
          value: { arn, subscriptionArns, displayName: attributes.output.Attributes?.DisplayName || null },
        },
      };
    },
  );
  return { topics: topics.filter((t): t is TopicRecord => t !== null), error };
}
