/**
 * The bucket-change alerting chain as an account control, on lib/domain/alerting's analyzer: trail → metric filter
 * → alarm → topic → confirmed subscription. A member account is covered by the organisation trail's chain, which
 * lives under the trail's owner account (the evaluation reads it there).
 */
import { analyzeBucketChangeAlerting } from "../alerting/bucket-change-alerting";
import type { AccountControl } from "./account-control";
import { verdict } from "./trail-helpers";

export const bucketChangeAlerting: AccountControl<"bucket-change-alerting"> = {
  id: "bucket-change-alerting",
  title: "Bucket-change alerting chain",
  checks:
    "A logging multi-region trail delivers to CloudWatch Logs, a metric filter there matches every bucket policy/ACL/CORS change (PutBucketAcl, PutBucketPolicy, PutBucketCors, DeleteBucketPolicy, DeleteBucketCors), an alarm watches its metric and notifies an SNS topic with a confirmed subscription.",
  why: "A bucket opened to the world is usually found by someone else first; this chain tells a person within minutes. Security Hub CloudWatch.8, CIS AWS Foundations 1.2 3.8 / 1.4 4.8.",
  fix: "On the trail's log group: `aws logs put-metric-filter --log-group-name GROUP --filter-name s3-bucket-changes --metric-transformations metricName=S3BucketPolicyChanges,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors)) }'`, then `aws cloudwatch put-metric-alarm` on that metric (Sum ≥ 1 over 300 s) with `--alarm-actions TOPIC_ARN`, and confirm a subscription to the topic.",
  securityHubControlId: "CloudWatch.8",
  cisIds: ["CIS 1.2 3.8", "CIS 1.4 4.8"],
  evaluate(input) {
    const result = analyzeBucketChangeAlerting(input.alerting);
    if (result.status === "pass") {
      const c = result.chain;
      return verdict(
        "pass",
        `trail ${c.trail} → metric filter ${c.metricFilter} → alarm ${c.alarm} → topic ${c.topic} with a confirmed subscription`,
        { chain: c },
      );
    }
    const evidence = { brokenAt: result.brokenAt, partial: result.partial };
    // The analyzer sees only trails whose status and selectors were read; if it found none feeding the chain while
    // some trail could not be read, the chain might exist: unknown, not fail.
    if (result.status === "fail" && result.brokenAt === "trail" && input.trails.ok) {
      const unreadable = input.trails.value.filter((t) => !t.status.ok || !t.eventSelectors.ok);
      if (unreadable.length) {
        const why = unreadable
          .map(
            (t) => `${t.name}: ${!t.status.ok ? t.status.reason : !t.eventSelectors.ok ? t.eventSelectors.reason : ""}`,
          )
          .join("; ");
        return verdict("unknown", `${result.reason}, but some trails could not be read (${why})`, evidence);
      }
    }
    return verdict(result.status, result.reason, evidence);
  },
};
