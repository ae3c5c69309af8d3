/**
 * The CloudWatch collector against the AWS emulator: the SDK's real serialisation of DescribeAlarms (metric alarms
 * only), kept when they watch a filter metric — by name AND namespace — with their actions as read. Alarms are set
 * up with the test's own client; the collector only reads.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudwatchService, collectFilterMetricAlarms } from "@/lib/sources/cloudwatch/collect";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { motoAvailable, startMotoServer, type MotoServer } from "../support/moto-server";

describe.skipIf(!motoAvailable())("the CloudWatch collector against the emulator", () => {
  let moto: MotoServer;
  let clients: AccountClients;
  let topic: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    topic = `arn:aws:sns:eu-west-1:${moto.accountId}:security-alerts`;
    const setup = new CloudWatchClient({ region: "eu-west-1", endpoint: moto.endpoint, credentials: moto.credentials });
    const base = {
      Statistic: "Sum" as const,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold" as const,
    };
    await setup.send(
      new PutMetricAlarmCommand({
        ...base,
        AlarmName: "S3BucketPolicyChanges",
        MetricName: "S3BucketPolicyChangeCount",
        Namespace: "CISBenchmark",
        AlarmActions: [topic],
      }),
    );
    await setup.send(
      new PutMetricAlarmCommand({
        ...base,
        AlarmName: "disabled-copy",
        MetricName: "S3BucketPolicyChangeCount",
        Namespace: "CISBenchmark",
        ActionsEnabled: false,
        AlarmActions: [topic],
      }),
    );
    await setup.send(
      new PutMetricAlarmCommand({
        ...base,
        AlarmName: "other-namespace",
        MetricName: "S3BucketPolicyChangeCount",
        Namespace: "Custom",
        AlarmActions: [topic],
      }),
    );
    clients = {
      get: ((service: typeof cloudwatchService, region: string) =>
        service.create(
          { region, endpoint: moto.endpoint, credentials: async () => moto.credentials, retryMode: "adaptive" },
          {},
        )) as AccountClients["get"],
    };
  }, 60_000);
  afterAll(async () => moto?.stop());

  it("keeps the alarms on the filter metric, with whether their actions are enabled and what they notify", async () => {
    const collection = await collectFilterMetricAlarms(clients, {
      accountId: moto.accountId,
      metrics: [{ region: "eu-west-1", name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" }],
    });
    expect(collection.error).toBeNull();
    expect(collection.regions).toHaveLength(1);
    const read = collection.regions[0]!.alarms;
    expect(read.ok && [...read.value].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [
        {
          name: "S3BucketPolicyChanges",
          metricName: "S3BucketPolicyChangeCount",
          namespace: "CISBenchmark",
          actionsEnabled: true,
          alarmActions: [topic],
        },
        {
          name: "disabled-copy",
          metricName: "S3BucketPolicyChangeCount",
          namespace: "CISBenchmark",
          actionsEnabled: false,
          alarmActions: [topic],
        },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it("reads a region with no alarm as an empty list", async () => {
    const collection = await collectFilterMetricAlarms(clients, {
      accountId: moto.accountId,
      metrics: [{ region: "us-east-1", name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" }],
    });
    expect(collection.regions).toEqual([{ region: "us-east-1", alarms: { ok: true, value: [] } }]);
  });
});
