import { describe, expect, it } from "vitest";
import {
  analyzeBucketChangeAlerting,
  filterCoverage,
  type AlertingInput,
  type AlertingMetricFilter,
} from "./bucket-change-alerting";

const GROUP = "arn:aws:logs:eu-west-1:111122223333:log-group:trail-logs:*";
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:security-alerts";
const CIS_PATTERN =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
  "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || " +
  "($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || " +
  "($.eventName = DeleteBucketReplication)) }";

const filter = (pattern = CIS_PATTERN): AlertingMetricFilter => ({
  name: "s3-bucket-changes",
  pattern,
  metrics: [{ name: "S3BucketPolicyChanges", namespace: "CISBenchmark" }],
});

function complete(): AlertingInput {
  return {
    trails: {
      ok: true,
      value: [
        { name: "org-trail", isMultiRegion: true, isLogging: true, recordsManagementWrites: true, logGroupArn: GROUP },
      ],
    },
    metricFilters: { [GROUP]: { ok: true, value: [filter()] } },
    alarms: {
      ok: true,
      value: [
        {
          name: "s3-bucket-changes-alarm",
          metricName: "S3BucketPolicyChanges",
          namespace: "CISBenchmark",
          actionsEnabled: true,
          alarmActions: [TOPIC],
        },
      ],
    },
    topics: { [TOPIC]: { ok: true, value: { arn: TOPIC, subscriptionArns: [`${TOPIC}:5f1c9a2e-1111-2222-3333`] } } },
  };
}

describe("filterCoverage", () => {
  it("counts all five bucket-change events for the CIS pattern", () => {
    expect(filterCoverage(CIS_PATTERN)).toEqual({
      covered: ["PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "DeleteBucketPolicy", "DeleteBucketCors"],
      missing: [],
    });
  });

  it("accepts a differently written but equivalent pattern", () => {
    expect(
      filterCoverage(
        '{ $.eventSource = "s3.amazonaws.com" && ($.eventName = PutBucket* || $.eventName = DeleteBucket*) }',
      ).missing,
    ).toEqual([]);
  });

  it("names the events a partial pattern misses", () => {
    expect(
      filterCoverage(
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy)) }",
      ).missing,
    ).toEqual(["PutBucketCors", "DeleteBucketPolicy", "DeleteBucketCors"]);
  });

  it("counts nothing when eventSource is misspelled or the names are joined with &&", () => {
    expect(filterCoverage(CIS_PATTERN.replace("s3.amazonaws.com", "s3.amazonaws.con")).covered).toEqual([]);
    expect(filterCoverage("{ ($.eventName = PutBucketAcl) && ($.eventName = PutBucketPolicy) }").covered).toEqual([]);
  });

  it("does not count a pattern restricted to some callers", () => {
    expect(filterCoverage(CIS_PATTERN.replace(" }", " && ($.sourceIPAddress = 10.*) }")).covered).toEqual([]);
  });

  it("claims nothing for a pattern it cannot read", () => {
    const coverage = filterCoverage("{ $.eventName = PutBucketAcl");
    expect(coverage.covered).toEqual([]);
    expect(coverage.notUnderstood).toBeTruthy();
  });
});

describe("analyzeBucketChangeAlerting", () => {
  it("passes a complete chain and names its links", () => {
    expect(analyzeBucketChangeAlerting(complete())).toEqual({
      status: "pass",
      chain: { trail: "org-trail", metricFilter: "s3-bucket-changes", alarm: "s3-bucket-changes-alarm", topic: TOPIC },
    });
  });

  it("fails without a multi-region logging trail feeding CloudWatch Logs", () => {
    const input = complete();
    input.trails = { ok: true, value: [] };
    expect(analyzeBucketChangeAlerting(input)).toMatchObject({
      status: "fail",
      brokenAt: "trail",
      reason: "no CloudTrail trail",
    });
    const stopped = complete();
    if (stopped.trails.ok) stopped.trails.value[0]!.isLogging = false;
    expect(analyzeBucketChangeAlerting(stopped)).toMatchObject({ status: "fail", brokenAt: "trail" });
  });

  it("says which events a partial filter misses", () => {
    const input = complete();
    input.metricFilters[GROUP] = {
      ok: true,
      value: [filter("{ ($.eventSource = s3.amazonaws.com) && ($.eventName = PutBucketPolicy) }")],
    };
    const verdict = analyzeBucketChangeAlerting(input);
    expect(verdict).toMatchObject({ status: "fail", brokenAt: "metric-filter" });
    if (verdict.status !== "pass") expect(verdict.reason).toContain("PutBucketAcl, PutBucketCors");
  });

  it("breaks at the alarm: metric filter, no alarm", () => {
    const input = complete();
    input.alarms = { ok: true, value: [] };
    expect(analyzeBucketChangeAlerting(input)).toMatchObject({
      status: "fail",
      brokenAt: "alarm",
      reason: "metric filter s3-bucket-changes, no alarm on its metric",
    });
  });

  it("does not count an alarm on another namespace, or one with actions disabled or no topic", () => {
    const other = complete();
    if (other.alarms.ok) other.alarms.value[0]!.namespace = "Other";
    expect(analyzeBucketChangeAlerting(other)).toMatchObject({ status: "fail", brokenAt: "alarm" });
    const disabled = complete();
    if (disabled.alarms.ok) disabled.alarms.value[0]!.actionsEnabled = false;
    expect(analyzeBucketChangeAlerting(disabled)).toMatchObject({
      brokenAt: "alarm",
      reason: expect.stringContaining("disabled"),
    });
    const lambdaOnly = complete();
    if (lambdaOnly.alarms.ok)
      lambdaOnly.alarms.value[0]!.alarmActions = ["arn:aws:lambda:eu-west-1:111122223333:function:x"];
    expect(analyzeBucketChangeAlerting(lambdaOnly)).toMatchObject({
      brokenAt: "alarm",
      reason: expect.stringContaining("no SNS topic"),
    });
  });

  it("breaks at the subscription when the topic has only pending confirmations", () => {
    const input = complete();
    input.topics[TOPIC] = { ok: true, value: { arn: TOPIC, subscriptionArns: ["PendingConfirmation"] } };
    expect(analyzeBucketChangeAlerting(input)).toMatchObject({
      status: "fail",
      brokenAt: "subscription",
      reason: "alarm s3-bucket-changes-alarm's topic has no confirmed subscription",
    });
  });

  it("is unknown, never pass, when a link could not be read", () => {
    const topicDenied = complete();
    topicDenied.topics[TOPIC] = { ok: false, reason: "AccessDenied" };
    expect(analyzeBucketChangeAlerting(topicDenied)).toMatchObject({ status: "unknown", brokenAt: "subscription" });
    const alarmsDenied = complete();
    alarmsDenied.alarms = { ok: false, reason: "AccessDenied" };
    expect(analyzeBucketChangeAlerting(alarmsDenied)).toMatchObject({ status: "unknown", brokenAt: "alarm" });
    const trailsDenied = complete();
    trailsDenied.trails = { ok: false, reason: "AccessDenied" };
    expect(analyzeBucketChangeAlerting(trailsDenied)).toMatchObject({ status: "unknown", brokenAt: "trail" });
  });

  it("passes when any one of several chains is complete", () => {
    const input = complete();
    if (input.alarms.ok) {
      input.alarms.value.unshift({
        name: "first-alarm",
        metricName: "S3BucketPolicyChanges",
        namespace: "CISBenchmark",
        actionsEnabled: false,
        alarmActions: [],
      });
    }
    expect(analyzeBucketChangeAlerting(input).status).toBe("pass");
  });
});
