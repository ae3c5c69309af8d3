import type { AccountControl } from "./account-control";
import { judgeTrailBuckets } from "./trail-bucket";

export const trailBucketAccessLogging: AccountControl<"trail-bucket-access-logging"> = {
  id: "trail-bucket-access-logging",
  title: "Trail bucket has access logging",
  checks: "The S3 bucket each logging trail delivers to has server access logging on.",
  why: "Access logs of the log bucket show who read or deleted the audit trail itself. Security Hub CloudTrail.7, CIS AWS Foundations 1.4 3.6 / 3.0 3.4.",
  fix: '`aws s3api put-bucket-logging --bucket LOG_BUCKET --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"ACCESS_LOG_BUCKET","TargetPrefix":"LOG_BUCKET/"}}\'` in the bucket\'s own account.',
  securityHubControlId: "CloudTrail.7",
  cisIds: ["CIS 1.2 2.6", "CIS 1.4 3.6", "CIS 3.0 3.4"],
  evaluate(input) {
    return judgeTrailBuckets(
      input,
      (b) => {
        const s = b.logging;
        if (s.status === "unknown") return { status: "unknown", reason: `logging could not be read: ${s.reason}` };
        if (s.status === "absent") return { status: "fail", reason: "server access logging is off" };
        return { status: "pass", reason: `logs to s3://${s.value.targetBucket}/${s.value.targetPrefix}` };
      },
      "every trail's log bucket has server access logging on",
    );
  },
};
