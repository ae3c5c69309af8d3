/**
 * The SNS collector against the AWS emulator: the SDK's real serialisation of GetTopicAttributes and
 * ListSubscriptionsByTopic, and SNS's real error for a topic that does not exist. (The emulator confirms e-mail
 * subscriptions at once and always reports SubscriptionsConfirmed "0" — the collector reads the subscription ARNs,
 * not that count.) Topics are set up with the test's own client; the collector only reads.
 */
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { collectAlarmTopics, snsService } from "@/lib/sources/sns/collect";
import { motoAvailable, startMotoServer, type MotoServer } from "../support/moto-server";

describe.skipIf(!motoAvailable())("the SNS collector against the emulator", () => {
  let moto: MotoServer;
  let clients: AccountClients;
  let topicArn: string;
  let subscriptionArn: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    const setup = new SNSClient({ region: "eu-west-1", endpoint: moto.endpoint, credentials: moto.credentials });
    topicArn = (await setup.send(new CreateTopicCommand({ Name: "security-alerts" }))).TopicArn!;
    await setup.send(
      new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "DisplayName", AttributeValue: "Security" }),
    );
    subscriptionArn = (
      await setup.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: "email", Endpoint: "security@example.com" }),
      )
    ).SubscriptionArn!;
    clients = {
      get: ((service: typeof snsService, region: string) =>
        service.create(
          { region, endpoint: moto.endpoint, credentials: async () => moto.credentials, retryMode: "adaptive" },
          {},
        )) as AccountClients["get"],
    };
  }, 60_000);
  afterAll(async () => moto?.stop());

  it("reads a topic's display name and its subscription ARNs", async () => {
    const collection = await collectAlarmTopics(clients, { accountId: moto.accountId, topicArns: [topicArn] });
    expect(collection).toEqual({
      error: null,
      topics: [
        {
          arn: topicArn,
          region: "eu-west-1",
          topic: { ok: true, value: { arn: topicArn, subscriptionArns: [subscriptionArn], displayName: "Security" } },
        },
      ],
    });
    expect(subscriptionArn.startsWith(`${topicArn}:`)).toBe(true);
  });

  it("stores a topic that does not exist as one no one is subscribed to", async () => {
    const gone = `arn:aws:sns:eu-west-1:${moto.accountId}:deleted-topic`;
    const collection = await collectAlarmTopics(clients, { accountId: moto.accountId, topicArns: [gone] });
    expect(collection).toEqual({
      error: null,
      topics: [
        {
          arn: gone,
          region: "eu-west-1",
          topic: { ok: true, value: { arn: gone, subscriptionArns: [], displayName: null } },
        },
      ],
    });
  });
});
