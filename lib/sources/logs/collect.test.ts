import {
  AccessDeniedException,
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { collectLogGroupMetricFilters, parseLogGroupArn } from "./collect";

const ACCOUNT = "111122223333";
const credentials = { accessKeyId: "AKID", secretAccessKey: "s" };
const euClient = new CloudWatchLogsClient({ region: "eu-west-1", credentials });
const usClient = new CloudWatchLogsClient({ region: "us-east-1", credentials });
const eu = mockClient(euClient);
const us = mockClient(usClient);
afterEach(() => {
  eu.reset();
  us.reset();
});
const clients: AccountClients = {
  get: ((_s: unknown, region: string) => (region === "eu-west-1" ? euClient : usClient)) as AccountClients["get"],
};
const euGroup = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:aws-cloudtrail-logs-${ACCOUNT}:*`;
const usGroup = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/trails/security`;
const PATTERN =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy)) }";

describe("parseLogGroupArn", () => {
  it("reads region, account and name, with or without the trailing :* CloudTrail writes", () => {
    expect(parseLogGroupArn(euGroup)).toEqual({
      region: "eu-west-1",
      accountId: ACCOUNT,
      name: `aws-cloudtrail-logs-${ACCOUNT}`,
    });
    expect(parseLogGroupArn(usGroup)).toEqual({ region: "us-east-1", accountId: ACCOUNT, name: "/trails/security" });
    expect(parseLogGroupArn("arn:aws:s3:::bucket")).toBeNull();
  });
});

describe("collectLogGroupMetricFilters", () => {
  it("reads each group's filters in the group's region, by name, across pages", async () => {
    // Shaped as the DescribeMetricFilters example in the CloudWatch Logs API reference.
    eu.on(DescribeMetricFiltersCommand, {
      logGroupName: `aws-cloudtrail-logs-${ACCOUNT}`,
      nextToken: undefined,
    }).resolves({
      metricFilters: [
        {
          filterName: "S3BucketPolicyChanges",
          filterPattern: PATTERN,
          logGroupName: `aws-cloudtrail-logs-${ACCOUNT}`,
          creationTime: 1396224000000,
          metricTransformations: [
            { metricName: "S3BucketPolicyChangeCount", metricNamespace: "CISBenchmark", metricValue: "1" },
          ],
        },
      ],
      nextToken: "page-2",
    });
    eu.on(DescribeMetricFiltersCommand, { nextToken: "page-2" }).resolves({
      metricFilters: [
        {
          filterName: "RootUsage",
          filterPattern: '{ $.userIdentity.type = "Root" }',
          logGroupName: `aws-cloudtrail-logs-${ACCOUNT}`,
          creationTime: 1396224000000,
          metricTransformations: [
            { metricName: "RootUsageCount", metricNamespace: "CISBenchmark", metricValue: "1" },
            { metricName: "RootUsageCount", metricNamespace: "Security", metricValue: "1" },
          ],
        },
      ],
    });
    us.on(DescribeMetricFiltersCommand).resolves({ metricFilters: [] });

    const collection = await collectLogGroupMetricFilters(clients, {
      accountId: ACCOUNT,
      logGroupArns: [euGroup, usGroup, euGroup],
    });
    expect(collection.error).toBeNull();
    expect(collection.groups).toEqual([
      {
        arn: euGroup,
        region: "eu-west-1",
        name: `aws-cloudtrail-logs-${ACCOUNT}`,
        metricFilters: {
          ok: true,
          value: [
            {
              name: "S3BucketPolicyChanges",
              pattern: PATTERN,
              metrics: [{ name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" }],
            },
            {
              name: "RootUsage",
              pattern: '{ $.userIdentity.type = "Root" }',
              metrics: [
                { name: "RootUsageCount", namespace: "CISBenchmark" },
                { name: "RootUsageCount", namespace: "Security" },
              ],
            },
          ],
        },
      },
      { arn: usGroup, region: "us-east-1", name: "/trails/security", metricFilters: { ok: true, value: [] } },
    ]);
    expect(eu.commandCalls(DescribeMetricFiltersCommand)).toHaveLength(2);
    expect(us.commandCalls(DescribeMetricFiltersCommand)[0]?.args[0].input).toEqual({
      logGroupName: "/trails/security",
      nextToken: undefined,
    });
  });

  it("keeps a denied group as unknown with AWS's reason (the read's error) and a deleted group as no filter", async () => {
    eu.on(DescribeMetricFiltersCommand).rejects(
      new AccessDeniedException({
        $metadata: { httpStatusCode: 400 },
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/CustodyReadOnly/custody is not authorized to perform: logs:DescribeMetricFilters`,
      }),
    );
    us.on(DescribeMetricFiltersCommand).rejects(
      new ResourceNotFoundException({
        $metadata: { httpStatusCode: 400 },
        message: "The specified log group does not exist.",
      }),
    );
    const collection = await collectLogGroupMetricFilters(clients, {
      accountId: ACCOUNT,
      logGroupArns: [euGroup, usGroup],
    });
    expect(collection.groups).toEqual([
      {
        arn: euGroup,
        region: "eu-west-1",
        name: `aws-cloudtrail-logs-${ACCOUNT}`,
        metricFilters: {
          ok: false,
          reason: expect.stringMatching(/^AccessDeniedException: .*logs:DescribeMetricFilters$/),
        },
      },
      { arn: usGroup, region: "us-east-1", name: "/trails/security", metricFilters: { ok: true, value: [] } },
    ]);
    expect(collection.error).toEqual({ code: "AccessDeniedException", message: expect.any(String) });
  });
});
