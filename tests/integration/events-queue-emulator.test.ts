/**
 * The bucket-change event path end to end against the AWS emulator: an event bus with the hub template's own rule
 * delivers a CloudTrail-shaped S3 event into an SQS queue; the consumer long-polls it with the real SDK, re-reads the
 * bucket (fixture AWS), records the change, alerts, and deletes the message only after the commit. A message that is
 * not an event is logged and left for the dead-letter queue; an event the rule does not match never arrives.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { consumeRound } from "@/lib/events/consume-events";
import { sqsEventsQueue } from "@/lib/sources/events-queue/sqs-queue";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import type { PostureEvent } from "@/lib/sync/notifications/notification-diff";
import { motoAvailable, startMotoServer, type MotoServer } from "../support/moto-server";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

const REGION = "eu-west-1";
const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
const publicBucket = estate.allBuckets().find((b) => b.name === DEMO_SPECIAL_BUCKETS.publicRead)!;
const account = estate.accounts.find((a) => a.accountId === publicBucket.accountId)!;
const target = estate
  .bucketsOf(account.accountId)
  .find(
    (b) =>
      b.name !== publicBucket.name &&
      !(b.policy ?? []).some((s) => s.kind === "public-read") &&
      b.publicAccessBlock !== null &&
      Object.values(b.publicAccessBlock).every(Boolean),
  )!;
const hubTemplate = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../deploy/custody-events-hub.json"), "utf8"),
);

function cloudTrailDetail(eventName: string, eventID: string) {
  return JSON.stringify({
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      arn: `arn:aws:iam::${account.accountId}:user/mallory`,
      principalId: "AIDAEXAMPLE",
    },
    eventTime: new Date().toISOString(),
    eventSource: "s3.amazonaws.com",
    eventName,
    awsRegion: REGION,
    sourceIPAddress: "198.51.100.23",
    requestParameters: { bucketName: target.name, Host: `${target.name}.s3.${REGION}.amazonaws.com` },
    responseElements: null,
    eventID,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account.accountId,
    eventCategory: "Management",
  });
}

describe.skipIf(!motoAvailable())("bucket-change events through EventBridge and SQS (emulator)", () => {
  let moto: MotoServer;
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    const aws = { region: REGION, endpoint: moto.endpoint, credentials: moto.credentials };
    sqs = new SQSClient(aws);
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "custody-events-dlq" }));
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ["QueueArn"] }))
    ).Attributes!.QueueArn!;
    queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: "custody-events",
          Attributes: {
            VisibilityTimeout: "4",
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
          },
        }),
      )
    ).QueueUrl!;
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))
    ).Attributes!.QueueArn!;
    const events = new EventBridgeClient(aws);
    await events.send(new CreateEventBusCommand({ Name: "custody-bucket-changes" }));
    await events.send(
      new PutRuleCommand({
        Name: "custody-bucket-changes-to-queue",
        EventBusName: "custody-bucket-changes",
        EventPattern: JSON.stringify(hubTemplate.Resources.BucketChangeRule.Properties.EventPattern),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: "custody-bucket-changes-to-queue",
        EventBusName: "custody-bucket-changes",
        Targets: [{ Id: "queue", Arn: queueArn }],
      }),
    );

    db = await scratchDb("events_queue");
    await ensureDefaultScheme(db.prisma);
    const syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    await syncFixtureAccount(db.prisma, estate, account, syncRunId);

    // Someone opens the bucket to the world; CloudTrail records it, EventBridge delivers it.
    target.publicAccessBlock = null;
    target.policy = [...(target.policy ?? []), { kind: "public-read" }];
    const put = (eventName: string, eventID: string) => ({
      Source: "aws.s3",
      DetailType: "AWS API Call via CloudTrail",
      EventBusName: "custody-bucket-changes",
      Detail: cloudTrailDetail(eventName, eventID),
    });
    await events.send(
      new PutEventsCommand({
        Entries: [
          put("DeleteBucketPublicAccessBlock", "ct-1"),
          put("PutBucketPolicy", "ct-2"),
          put("GetBucketPolicy", "ct-3"), // a read: the rule does not match it
        ],
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "not an event at all" }));
  }, 90_000);
  afterAll(async () => {
    await db?.drop();
    await moto?.stop();
  });

  it("re-reads the bucket once, records who opened it, alerts, and deletes only what it handled", async () => {
    const alerts: { events: PostureEvent[]; cause: string | null }[] = [];
    const queue = sqsEventsQueue({
      queueUrl,
      region: REGION,
      endpointUrl: moto.endpoint,
      credentials: moto.credentials,
    });
    const summary = await consumeRound({
      db: db.prisma,
      queue,
      connector: createFixtureConnector(estate),
      databaseUrl: db.url,
      windowMs: 1500,
      waitSeconds: 5,
      notify: async ({ events, cause }) => {
        alerts.push({ events, cause: cause.actor.arn });
      },
    });
    expect(summary).toMatchObject({ received: 3, malformed: 1, refreshes: 1, deferred: 0, deleted: 2 });
    expect(alerts).toEqual([
      {
        events: expect.arrayContaining([expect.objectContaining({ kind: "newly-public" })]),
        cause: `arn:aws:iam::${account.accountId}:user/mallory`,
      },
    ]);
    const recorded = await db.prisma.bucketChangeEvent.findMany({ orderBy: { eventId: "asc" } });
    expect(recorded.map((r) => [r.eventId, r.eventName, r.bucketName, r.sourceIp])).toEqual([
      ["ct-1", "DeleteBucketPublicAccessBlock", target.name, "198.51.100.23"],
      ["ct-2", "PutBucketPolicy", target.name, "198.51.100.23"],
    ]);
  });

  it("leaves the message that is not an event for the dead-letter queue", async () => {
    await new Promise((r) => setTimeout(r, 4200)); // its visibility timeout
    const queue = sqsEventsQueue({
      queueUrl,
      region: REGION,
      endpointUrl: moto.endpoint,
      credentials: moto.credentials,
    });
    const again = await queue.receive({ max: 10, waitSeconds: 2 });
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([["not an event at all", 2]]);
  });
});
