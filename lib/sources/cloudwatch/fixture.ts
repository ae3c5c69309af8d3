/**
 * The fixture AWS's CloudWatch: in each account, the alarm of its bucket-change alerting chain (see
 * lib/sources/logs/fixture.ts; none for the "no-alarm" flaw) in the chain's region, and an unrelated EC2 CPU alarm
 * in its home region that the CloudWatch source must leave out.
 */
import { CloudWatchServiceException, type DescribeAlarmsOutput, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { alertingChainOf } from "@/lib/sources/logs/fixture";
import { FIXTURE_REFERENCE_DATE } from "@/lib/sources/fixture/bucket-traits";
import {
  DAY,
  decodeToken,
  encodeToken,
  fixtureServiceError,
  memo,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const cloudwatchError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(CloudWatchServiceException, name, httpStatusCode, message);

export const cloudwatchFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) => answerCloudWatch(world, region, operation, input),
  throttlingError: () => cloudwatchError("Throttling", 400, "Rate exceeded"),
};

function alarmsOf(world: FixtureAccountWorld): MetricAlarm[] {
  return memo(world, "cloudwatch-alarms", () => {
    const { accountId, homeRegion } = world.account;
    const updated = new Date(FIXTURE_REFERENCE_DATE - 120 * DAY);
    const alarms: MetricAlarm[] = [
      {
        AlarmName: "web-fleet-cpu-high",
        AlarmArn: `arn:aws:cloudwatch:${homeRegion}:${accountId}:alarm:web-fleet-cpu-high`,
        AlarmDescription: "Average CPU above 80% for 15 minutes",
        AlarmConfigurationUpdatedTimestamp: updated,
        ActionsEnabled: true,
        OKActions: [],
        AlarmActions: [`arn:aws:sns:${homeRegion}:${accountId}:ops-pager`],
        InsufficientDataActions: [],
        StateValue: "OK",
        StateReason: "Threshold Crossed: 3 datapoints were not greater than the threshold (80.0).",
        StateUpdatedTimestamp: updated,
        MetricName: "CPUUtilization",
        Namespace: "AWS/EC2",
        Statistic: "Average",
        Dimensions: [{ Name: "AutoScalingGroupName", Value: "web-fleet" }],
        Period: 300,
        EvaluationPeriods: 3,
        Threshold: 80,
        ComparisonOperator: "GreaterThanThreshold",
      },
    ];
    const chain = alertingChainOf(world.estate, accountId);
    if (chain?.alarm) {
      alarms.push({
        AlarmName: chain.alarm.name,
        AlarmArn: `arn:aws:cloudwatch:${chain.region}:${accountId}:alarm:${chain.alarm.name}`,
        AlarmDescription: "CIS: S3 bucket policy, ACL or CORS changes",
        AlarmConfigurationUpdatedTimestamp: updated,
        ActionsEnabled: chain.alarm.actionsEnabled,
        OKActions: [],
        AlarmActions: chain.alarm.actions,
        InsufficientDataActions: [],
        StateValue: "OK",
        StateReason: "Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (1.0).",
        StateUpdatedTimestamp: updated,
        MetricName: chain.alarm.metricName,
        Namespace: chain.alarm.namespace,
        Statistic: "Sum",
        Dimensions: [],
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
      });
    }
    return alarms;
  });
}

export function answerCloudWatch(
  world: FixtureAccountWorld,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  switch (operation) {
    case "DescribeAlarms": {
      const inRegion = alarmsOf(world).filter((a) => a.AlarmArn?.split(":")[3] === region);
      const size = Math.min(100, Math.max(1, Number(input.MaxRecords ?? 50)));
      const offset = decodeToken(input.NextToken as string | undefined, (m) =>
        cloudwatchError("InvalidNextToken", 400, m),
      );
      const next = offset + size;
      // AlarmTypes without CompositeAlarm returns metric alarms only (AWS's default too).
      return {
        MetricAlarms: inRegion.slice(offset, next),
        CompositeAlarms: [],
        ...(next < inRegion.length ? { NextToken: encodeToken(next) } : {}),
      } satisfies DescribeAlarmsOutput;
    }
    default:
      throw new UnsupportedFixtureOperationError("cloudwatch", operation);
  }
}
