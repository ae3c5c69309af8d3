import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/s3$/;

export const kmsEncryption: Control<"kms-encryption"> = {
  id: "kms-encryption",
  title: "Encrypted with a customer managed KMS key",
  checks:
    "Default encryption is SSE-KMS or DSSE-KMS with a customer managed key (not SSE-S3 and not the AWS managed key alias/aws/s3).",
  why: "With your own KMS key, reading an object needs kms:Decrypt on that key too: a second, separately audited permission (CloudTrail logs every use), and data shared with third parties stays under a key you can disable. The AWS managed key alias/aws/s3 cannot be restricted by a key policy you control. NIST SP 800-53 SC-12/SC-28.",
  fix: 'Create a customer managed key with a key policy naming the roles that may decrypt, then `aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:REGION:ACCOUNT:key/KEY_ID"},"BucketKeyEnabled":true}]}\'`.',
  configRuleIdentifier: "S3_DEFAULT_ENCRYPTION_KMS",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.17",
  riskWeight: 4,
  configRuleVerdict: {
    basis:
      "the rule accepts any KMS key (the AWS managed alias/aws/s3 too); this control requires a customer managed key",
    evaluate({ settings }) {
      const s = settings.encryption;
      if (s.status === "unknown") return "unknown";
      if (s.status === "absent") return "fail";
      return s.value.rules.some((r) => r.algorithm === "aws:kms" || r.algorithm === "aws:kms:dsse") ? "pass" : "fail";
    },
  },
  evaluate({ settings }) {
    const s = settings.encryption;
    const evidence = { encryption: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("default encryption", s), evidence);
    if (s.status === "absent")
      return fail(`no default encryption configuration (${s.errorCode ?? "not configured"})`, evidence);
    const kmsRules = s.value.rules.filter((r) => r.algorithm === "aws:kms" || r.algorithm === "aws:kms:dsse");
    if (kmsRules.length === 0) {
      return fail(
        `default encryption is ${s.value.rules.map((r) => r.algorithm).join(", ") || "empty"}, not SSE-KMS with a customer managed key`,
        evidence,
      );
    }
    const customer = kmsRules.find(
      (r) => r.kmsKeyId !== null && r.kmsKeyId !== "" && !AWS_MANAGED_ALIAS.test(r.kmsKeyId),
    );
    if (customer) return pass(`${customer.algorithm} with key ${customer.kmsKeyId}`, evidence);
    const rule = kmsRules[0]!;
    return fail(
      rule.kmsKeyId
        ? `${rule.algorithm} uses the AWS managed key ${rule.kmsKeyId}, not a customer managed key`
        : `${rule.algorithm} without KMSMasterKeyID uses the AWS managed key alias/aws/s3, not a customer managed key`,
      evidence,
    );
  },
};
