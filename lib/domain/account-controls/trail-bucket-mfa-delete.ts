import type { AccountControl } from "./account-control";
import { judgeTrailBuckets } from "./trail-bucket";

export const trailBucketMfaDelete: AccountControl<"trail-bucket-mfa-delete"> = {
  id: "trail-bucket-mfa-delete",
  title: "Trail bucket has MFA delete",
  checks: "The S3 bucket each logging trail delivers to has versioning with MFA delete enabled.",
  why: "Stolen credentials then cannot permanently delete log versions or suspend versioning: erasing the audit trail needs the root user's MFA device. CIS AWS Foundations (MFA delete on S3 buckets: 1.4 2.1.3 / 3.0 2.1.2; the CloudTrail bucket first); no Security Hub control checks it for the trail bucket.",
  fix: "As the log bucket account's root user with MFA: `aws s3api put-bucket-versioning --bucket LOG_BUCKET --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa 'arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device CODE'`. Object Lock (compliance mode) is the alternative where root MFA is impractical.",
  securityHubControlId: null,
  cisIds: ["CIS 1.4 2.1.3", "CIS 3.0 2.1.2"],
  evaluate(input) {
    return judgeTrailBuckets(
      input,
      (b) => {
        const s = b.versioning;
        if (s.status === "unknown") return { status: "unknown", reason: `versioning could not be read: ${s.reason}` };
        if (s.status === "present" && s.value.mfaDelete === "Enabled")
          return { status: "pass", reason: "MFA delete on" };
        if (s.status === "absent" || s.value.status === "Off") {
          return { status: "fail", reason: "MFA delete is off (versioning was never enabled)" };
        }
        return { status: "fail", reason: "MFA delete is off" };
      },
      "every trail's log bucket has MFA delete on",
    );
  },
};
