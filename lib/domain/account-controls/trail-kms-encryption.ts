import type { AccountControl } from "./account-control";
import { everyTrail } from "./trail-helpers";

export const trailKmsEncryption: AccountControl<"trail-kms-encryption"> = {
  id: "trail-kms-encryption",
  title: "Trail logs encrypted with KMS",
  checks: "Every logging trail covering the account encrypts its log files with a KMS key (SSE-KMS).",
  why: "With SSE-KMS, reading the logs also needs kms:Decrypt on a key few can use, so read access to the log bucket alone does not expose every API call of the organisation. Security Hub CloudTrail.2, CIS AWS Foundations 1.4/3.0 3.7/3.5.",
  fix: "Create a customer-managed key whose policy lets cloudtrail.amazonaws.com encrypt (scoped by aws:SourceArn) and only the security team decrypt, then `aws cloudtrail update-trail --name TRAIL --kms-key-id KEY_ARN`.",
  securityHubControlId: "CloudTrail.2",
  cisIds: ["CIS 1.2 2.7", "CIS 1.4 3.7", "CIS 3.0 3.5"],
  evaluate(input) {
    return everyTrail(
      input,
      (t) =>
        t.kmsKeyId
          ? { status: "pass", reason: `encrypted with ${t.kmsKeyId}` }
          : { status: "fail", reason: "log files are not encrypted with a KMS key (SSE-S3 only)" },
      (trails) => trails.map((t) => `${t.name} encrypts with ${t.kmsKeyId}`).join("; "),
    );
  },
};
