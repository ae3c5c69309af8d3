import { CloudWatchClient, CloudWatchServiceException, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { collectFilterMetricAlarms } from "./collect";

const ACCOUNT = "111122223333";
const credentials = { accessKeyId: "AKID", secretAccessKey: "s" };
const euClient = new CloudWatchClient({ region: "eu-west-1", credentials });
const usClient = new CloudWatchClient({ region: "us-east-1", credentials });
const eu = mockClient(euClient);
const us = mockClient(usClient);
afterEach(() => {
  eu.reset();
  us.reset();
});
const clients: AccountClients = {
  get: ((_s: unknown, region: string) => (region === "eu-west-1" ? euClient : usClient)) as AccountClients["get"],
};
const topic = `arn:aws:sns:eu-west-1:${ACCOUNT}:security-alerts`;

/** A metric alarm as DescribeAlarms returns it (CloudWatch API reference, MetricAlarm). */
const alarm = (name: string, extra: Record<string, unknown>) => ({
  AlarmName: name,
  AlarmArn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:${name}`,
  AlarmConfigurationUpdatedTimestamp: new Date("2025-03-01T00:00:00Z"),
  ActionsEnabled: true,
  OKActions: [],
  AlarmActions: [topic],
  InsufficientDataActions: [],
  StateValue: "OK" as const,
  StateReason: "Threshold Crossed",
  Statistic: "Sum" as const,
  Dimensions: [],
  Period: 300,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: "GreaterThanOrEqualToThreshold" as const,
  ...extra,
});

describe("collectFilterMetricAlarms", () => {
  it("lists the region's metric alarms across pages and keeps those evaluating a filter metric", async () => {
    eu.on(DescribeAlarmsCommand, { NextToken: undefined }).resolves({
      MetricAlarms: [
        alarm("S3BucketPolicyChanges", { MetricName: "S3BucketPolicyChangeCount", Namespace: "CISBenchmark" }),
        alarm("web-cpu", { MetricName: "CPUUtilization", Namespace: "AWS/EC2", AlarmActions: ["arn:aws:sns:x"] }),
        // Same name, other namespace: another metric.
        alarm("wrong-namespace", { MetricName: "S3BucketPolicyChangeCount", Namespace: "Custom" }),
      ],
      CompositeAlarms: [],
      NextToken: "token-2",
    });
    eu.on(DescribeAlarmsCommand, { NextToken: "token-2" }).resolves({
      MetricAlarms: [
        // A metric-math alarm whose returned query is the filter metric itself: counted.
        alarm("math-direct", {
          ActionsEnabled: false,
          Metrics: [
            {
              Id: "m1",
              ReturnData: true,
              MetricStat: {
                Metric: { MetricName: "S3BucketPolicyChangeCount", Namespace: "CISBenchmark" },
                Period: 300,
                Stat: "Sum",
              },
            },
          ],
        }),
        // An expression over it: not counted (it may not fire on one change).
        alarm("math-expression", {
          Metrics: [
            {
              Id: "m1",
              ReturnData: false,
              MetricStat: {
                Metric: { MetricName: "S3BucketPolicyChangeCount", Namespace: "CISBenchmark" },
                Period: 300,
                Stat: "Sum",
              },
            },
            { Id: "e1", Expression: "m1 / 10", ReturnData: true },
          ],
        }),
      ],
      CompositeAlarms: [],
    });
    const collection = await collectFilterMetricAlarms(clients, {
      accountId: ACCOUNT,
      metrics: [{ region: "eu-west-1", name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" }],
    });
    expect(collection.error).toBeNull();
    expect(collection.regions).toEqual([
      {
        region: "eu-west-1",
        alarms: {
          ok: true,
          value: [
            {
              name: "S3BucketPolicyChanges",
              metricName: "S3BucketPolicyChangeCount",
              namespace: "CISBenchmark",
              actionsEnabled: true,
              alarmActions: [topic],
            },
            {
              name: "math-direct",
              metricName: "S3BucketPolicyChangeCount",
              namespace: "CISBenchmark",
              actionsEnabled: false,
              alarmActions: [topic],
            },
          ],
        },
      },
    ]);
    expect(eu.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmTypes: ["MetricAlarm"],
      MaxRecords: 100,
      NextToken: undefined,
    });
    expect(us.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  it("keeps a region whose listing fails as unknown with AWS's reason, without touching the other region", async () => {
    eu.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    us.on(DescribeAlarmsCommand).rejects(
      new CloudWatchServiceException({
        name: "AccessDenied",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/CustodyReadOnly/custody is not authorized to perform: cloudwatch:DescribeAlarms`,
      }),
    );
    const collection = await collectFilterMetricAlarms(clients, {
      accountId: ACCOUNT,
      metrics: [
        { region: "eu-west-1", name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" },
        { region: "us-east-1", name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" },
      ],
    });
    expect(collection.regions).toEqual([
      { region: "eu-west-1", alarms: { ok: true, value: [] } },
      {
        region: "us-east-1",
        alarms: { ok: false, reason: expect.stringMatching(/^AccessDenied: .*cloudwatch:DescribeAlarms$/) },
      },
    ]);
    expect(collection.error).toEqual({ code: "AccessDenied", message: expect.any(String) });
  });
});
