import { describe, expect, it } from "vitest";
import { alerting, GROUP, input, TOPIC, trail } from "./account-control-fixture";
import { bucketChangeAlerting } from "./bucket-change-alerting";

describe("bucket-change-alerting (CloudWatch.8)", () => {
  it("passes for a member covered by the organisation trail's complete chain", () => {
    const v = bucketChangeAlerting.evaluate(input());
    expect(v.status).toBe("pass");
    expect(v.evidence).toMatchObject({ chain: { trail: "org-trail", alarm: "s3-changes-alarm", topic: TOPIC } });
  });

  it("says where it breaks: a metric filter with no alarm", () => {
    const v = bucketChangeAlerting.evaluate(input({ alerting: alerting({ alarms: { ok: true, value: [] } }) }));
    expect(v).toMatchObject({ status: "fail", reason: "metric filter s3-changes, no alarm on its metric" });
    expect(v.evidence).toMatchObject({ brokenAt: "alarm" });
  });

  it("says where it breaks: the alarm's topic has no confirmed subscription", () => {
    const pending = alerting({
      topics: { [TOPIC]: { ok: true, value: { arn: TOPIC, subscriptionArns: ["PendingConfirmation"] } } },
    });
    const v = bucketChangeAlerting.evaluate(input({ alerting: pending }));
    expect(v).toMatchObject({ status: "fail", reason: "alarm s3-changes-alarm's topic has no confirmed subscription" });
  });

  it("does not count a pattern with eventSource misspelled", () => {
    const misspelled = alerting({
      metricFilters: {
        [GROUP]: {
          ok: true,
          value: [
            {
              name: "s3-changes",
              pattern:
                "{ ($.eventsource = s3.amazonaws.com) && ($.eventName = PutBucket* || $.eventName = DeleteBucket*) }",
              metrics: [{ name: "S3BucketChanges", namespace: "CIS" }],
            },
          ],
        },
      },
    });
    const v = bucketChangeAlerting.evaluate(input({ alerting: misspelled }));
    expect(v).toMatchObject({ status: "fail", evidence: { brokenAt: "metric-filter" } });
  });

  it("is unknown when the alarms could not be read, and when an unreadable trail might feed the chain", () => {
    const denied = alerting({ alarms: { ok: false, reason: "AccessDenied: cloudwatch:DescribeAlarms" } });
    expect(bucketChangeAlerting.evaluate(input({ alerting: denied })).status).toBe("unknown");
    const unread = trail({ status: { ok: false, reason: "owner not read yet" } });
    const v = bucketChangeAlerting.evaluate(
      input({ trails: { ok: true, value: [unread] }, alerting: alerting({ trails: { ok: true, value: [] } }) }),
    );
    expect(v).toMatchObject({ status: "unknown", reason: expect.stringContaining("owner not read yet") });
  });
});
