import {
  AuthorizationErrorException,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  NotFoundException,
  SNSClient,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { collectAlarmTopics } from "./collect";

const ACCOUNT = "111122223333";
const OTHER = "999988887777";
const credentials = { accessKeyId: "AKID", secretAccessKey: "s" };
const euClient = new SNSClient({ region: "eu-west-1", credentials });
const usClient = new SNSClient({ region: "us-east-1", credentials });
const eu = mockClient(euClient);
const us = mockClient(usClient);
afterEach(() => {
  eu.reset();
  us.reset();
});
const clients: AccountClients = {
  get: ((_s: unknown, region: string) => (region === "eu-west-1" ? euClient : usClient)) as AccountClients["get"],
};
const own = `arn:aws:sns:eu-west-1:${ACCOUNT}:security-alerts`;
const theirs = `arn:aws:sns:us-east-1:${OTHER}:org-security-alerts`;

describe("collectAlarmTopics", () => {
  it("reads an own topic's display name and every subscription ARN across pages, pending ones as AWS names them", async () => {
    // Shaped as the GetTopicAttributes and ListSubscriptionsByTopic responses of the SNS API reference.
    eu.on(GetTopicAttributesCommand).resolves({
      Attributes: {
        TopicArn: own,
        Owner: ACCOUNT,
        DisplayName: "Security alerts",
        SubscriptionsConfirmed: "1",
        SubscriptionsPending: "1",
        SubscriptionsDeleted: "0",
      },
    });
    eu.on(ListSubscriptionsByTopicCommand, { NextToken: undefined }).resolves({
      Subscriptions: [
        {
          SubscriptionArn: `${own}:0b1b2e4c-1f2d-4e5f-8a9b-0c1d2e3f4a5b`,
          Owner: ACCOUNT,
          Protocol: "email",
          Endpoint: "security@example.com",
          TopicArn: own,
        },
      ],
      NextToken: "next",
    });
    eu.on(ListSubscriptionsByTopicCommand, { NextToken: "next" }).resolves({
      Subscriptions: [
        {
          SubscriptionArn: "PendingConfirmation",
          Owner: ACCOUNT,
          Protocol: "email",
          Endpoint: "oncall@example.com",
          TopicArn: own,
        },
      ],
    });
    const collection = await collectAlarmTopics(clients, { accountId: ACCOUNT, topicArns: [own, own] });
    expect(collection).toEqual({
      error: null,
      topics: [
        {
          arn: own,
          region: "eu-west-1",
          topic: {
            ok: true,
            value: {
              arn: own,
              subscriptionArns: [`${own}:0b1b2e4c-1f2d-4e5f-8a9b-0c1d2e3f4a5b`, "PendingConfirmation"],
              displayName: "Security alerts",
            },
          },
        },
      ],
    });
    // Endpoints are personal data the chain does not need: never stored.
    expect(JSON.stringify(collection)).not.toContain("example.com");
  });

  it("keeps another account's denied topic as unknown with the reason, not as the read's failure", async () => {
    us.on(GetTopicAttributesCommand).rejects(
      new AuthorizationErrorException({
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/CustodyReadOnly/custody is not authorized to perform: SNS:GetTopicAttributes on resource: ${theirs}`,
      }),
    );
    const collection = await collectAlarmTopics(clients, { accountId: ACCOUNT, topicArns: [theirs] });
    expect(collection.topics).toEqual([
      {
        arn: theirs,
        region: "us-east-1",
        topic: { ok: false, reason: expect.stringMatching(/^AuthorizationErrorException: .*SNS:GetTopicAttributes/) },
      },
    ]);
    expect(collection.error).toBeNull();
    expect(us.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(0);
  });

  it("fails the read for an own topic it may not read, and stores a deleted topic as one with no subscriber", async () => {
    eu.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: own } });
    eu.on(ListSubscriptionsByTopicCommand).rejects(
      new AuthorizationErrorException({ $metadata: { httpStatusCode: 403 }, message: "not authorized" }),
    );
    const gone = `arn:aws:sns:us-east-1:${ACCOUNT}:deleted-topic`;
    us.on(GetTopicAttributesCommand).rejects(
      new NotFoundException({ $metadata: { httpStatusCode: 404 }, message: "Topic does not exist" }),
    );
    const collection = await collectAlarmTopics(clients, { accountId: ACCOUNT, topicArns: [own, gone, "not-an-arn"] });
    expect(collection.topics).toEqual([
      { arn: own, region: "eu-west-1", topic: { ok: false, reason: "AuthorizationErrorException: not authorized" } },
      {
        arn: gone,
        region: "us-east-1",
        topic: { ok: true, value: { arn: gone, subscriptionArns: [], displayName: null } },
      },
    ]);
    expect(collection.error).toEqual({ code: "AuthorizationErrorException", message: "not authorized" });
  });
});
