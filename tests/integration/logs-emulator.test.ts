/**
 * The CloudWatch Logs collector against the AWS emulator: the SDK's real serialisation of DescribeMetricFilters by
 * log group name, for a group named as CloudTrail names it (ARN with ":*"), and a group that does not exist. The
 * group and its filters are set up with the test's own client; the collector only reads.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectLogGroupMetricFilters, logsService } from "@/lib/sources/logs/collect";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { motoAvailable, startMotoServer, type MotoServer } from "../support/moto-server";

const PATTERN =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
  "($.eventName = PutBucketCors) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors)) }";

describe.skipIf(!motoAvailable())("the CloudWatch Logs collector against the emulator", () => {
  let moto: MotoServer;
  let clients: AccountClients;

  beforeAll(async () => {
    moto = await startMotoServer();
    const setup = new CloudWatchLogsClient({
      region: "eu-west-1",
      endpoint: moto.endpoint,
      credentials: moto.credentials,
    });
    await setup.send(new CreateLogGroupCommand({ logGroupName: "aws-cloudtrail-logs-audit" }));
    await setup.send(new CreateLogGroupCommand({ logGroupName: "application-logs" }));
    await setup.send(
      new PutMetricFilterCommand({
        logGroupName: "aws-cloudtrail-logs-audit",
        filterName: "S3BucketPolicyChanges",
        filterPattern: PATTERN,
        metricTransformations: [
          { metricName: "S3BucketPolicyChangeCount", metricNamespace: "CISBenchmark", metricValue: "1" },
        ],
      }),
    );
    // A filter on another group must not be counted for the trail's group.
    await setup.send(
      new PutMetricFilterCommand({
        logGroupName: "application-logs",
        filterName: "Errors",
        filterPattern: "ERROR",
        metricTransformations: [{ metricName: "ErrorCount", metricNamespace: "App", metricValue: "1" }],
      }),
    );
    clients = {
      get: ((service: typeof logsService, region: string) =>
        service.create(
          { region, endpoint: moto.endpoint, credentials: async () => moto.credentials, retryMode: "adaptive" },
          {},
        )) as AccountClients["get"],
    };
  }, 60_000);
  afterAll(async () => moto?.stop());

  it("reads the trail group's filters by the name in its ARN, and a missing group as having none", async () => {
    const trailGroup = `arn:aws:logs:eu-west-1:${moto.accountId}:log-group:aws-cloudtrail-logs-audit:*`;
    const missing = `arn:aws:logs:eu-west-1:${moto.accountId}:log-group:deleted-group:*`;
    const collection = await collectLogGroupMetricFilters(clients, {
      accountId: moto.accountId,
      logGroupArns: [trailGroup, missing],
    });
    expect(collection.error).toBeNull();
    expect(collection.groups).toEqual([
      {
        arn: trailGroup,
        region: "eu-west-1",
        name: "aws-cloudtrail-logs-audit",
        metricFilters: {
          ok: true,
          value: [
            {
              name: "S3BucketPolicyChanges",
              pattern: PATTERN,
              metrics: [{ name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" }],
            },
          ],
        },
      },
      { arn: missing, region: "eu-west-1", name: "deleted-group", metricFilters: { ok: true, value: [] } },
    ]);
  });
});
