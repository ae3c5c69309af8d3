import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const accessLogging: Control<"access-logging"> = {
  id: "access-logging",
  title: "Server access logging",
  checks: "Server access logging is enabled and delivers to a target bucket.",
  why: "Without access logs there is no record of who read or changed which object — investigations of S3 leaks depend on them. CIS AWS Foundations (S3 access logging on the CloudTrail bucket), NIST SP 800-53 AU-2/AU-12, Security Hub S3.9. (CloudTrail data events are an alternative record.)",
  fix: '`aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"LOG_BUCKET","TargetPrefix":"BUCKET/"}}\'` — the target bucket in the same account and region, with a policy allowing logging.s3.amazonaws.com scoped by aws:SourceAccount.',
  configRuleIdentifier: "S3_BUCKET_LOGGING_ENABLED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.9",
  riskWeight: 5,
  evaluate({ bucket, settings }) {
    const s = settings.logging;
    const evidence = { logging: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("server access logging", s), evidence);
    if (s.status === "absent") return fail("server access logging is off", evidence);
    const self =
      s.value.targetBucket === bucket.name
        ? " (into itself: every log write creates more logs; prefer a separate bucket)"
        : "";
    return pass(`logs to s3://${s.value.targetBucket}/${s.value.targetPrefix}${self}`, evidence);
  },
};
