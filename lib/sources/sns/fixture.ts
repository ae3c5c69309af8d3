/**
 * The fixture AWS's SNS: each account's own topic of its bucket-change alerting chain (lib/sources/logs/fixture.ts)
 * with its e-mail subscription — confirmed, or still PendingConfirmation for that flaw. A topic of another account
 * answers AuthorizationError, as SNS does when the topic policy does not let the caller in.
 */
import {
  SNSServiceException,
  type GetTopicAttributesResponse,
  type ListSubscriptionsByTopicResponse,
} from "@aws-sdk/client-sns";
import { alertingChainOf } from "@/lib/sources/logs/fixture";
import {
  decodeToken,
  encodeToken,
  fixtureServiceError,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const snsError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(SNSServiceException, name, httpStatusCode, message);

export const snsFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) => answerSns(world, region, operation, input),
  throttlingError: () => snsError("ThrottledException", 400, "Rate exceeded"),
};

const PAGE_SIZE = 100;

export function answerSns(
  world: FixtureAccountWorld,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  const accountId = world.account.accountId;
  const findTopic = (action: string) => {
    const arn = String(input.TopicArn);
    if (/^arn:aws[a-z-]*:sns:/.test(arn) && arn.split(":")[4] !== accountId) {
      throw snsError(
        "AuthorizationErrorException",
        403,
        `User: arn:aws:sts::${accountId}:assumed-role/CustodyReadOnly/custody is not authorized to perform: SNS:${action} on resource: ${arn} because no resource-based policy allows the SNS:${action} action`,
      );
    }
    const topic = alertingChainOf(world.estate, accountId)?.topic;
    if (!topic || topic.arn !== arn || arn.split(":")[3] !== region) {
      throw snsError("NotFoundException", 404, "Topic does not exist");
    }
    return topic;
  };
  switch (operation) {
    case "GetTopicAttributes": {
      const topic = findTopic("GetTopicAttributes");
      const confirmed = topic.subscriptions.filter((s) => s.arn !== "PendingConfirmation").length;
      return {
        Attributes: {
          TopicArn: topic.arn,
          Owner: accountId,
          DisplayName: topic.displayName,
          SubscriptionsConfirmed: String(confirmed),
          SubscriptionsPending: String(topic.subscriptions.length - confirmed),
          SubscriptionsDeleted: "0",
          Policy: JSON.stringify({
            Version: "2008-10-17",
            Id: "__default_policy_ID",
            Statement: [
              {
                Sid: "AllowCloudWatchAlarms",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "SNS:Publish",
                Resource: topic.arn,
              },
            ],
          }),
          EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 3 } } }),
        },
      } satisfies GetTopicAttributesResponse;
    }
    case "ListSubscriptionsByTopic": {
      const topic = findTopic("ListSubscriptionsByTopic");
      const offset = decodeToken(input.NextToken as string | undefined, (m) =>
        snsError("InvalidParameterException", 400, m),
      );
      const next = offset + PAGE_SIZE;
      return {
        Subscriptions: topic.subscriptions.slice(offset, next).map((s) => ({
          SubscriptionArn: s.arn,
          Owner: accountId,
          Protocol: "email",
          Endpoint: s.endpoint,
          TopicArn: topic.arn,
        })),
        ...(next < topic.subscriptions.length ? { NextToken: encodeToken(next) } : {}),
      } satisfies ListSubscriptionsByTopicResponse;
    }
    default:
      throw new UnsupportedFixtureOperationError("sns", operation);
  }
}
