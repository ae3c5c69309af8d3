import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

/** Algorithms that mean S3 encrypts new objects by default. aws:fsx / aws:backup are service-managed encryption. */
const ENCRYPTING = new Set(["AES256", "aws:kms", "aws:kms:dsse", "aws:fsx", "aws:backup"]);

export const encryptionAtRest: Control<"encryption-at-rest"> = {
  id: "encryption-at-rest",
  title: "Default encryption at rest",
  checks:
    "The bucket has a default encryption configuration (SSE-S3, SSE-KMS or DSSE-KMS) so every new object is encrypted.",
  why: "CIS AWS Foundations Benchmark v1.4 2.1.1 and NIST SP 800-53 SC-28 (protection of information at rest). Since 5 January 2023 S3 applies SSE-S3 to every bucket, so a missing configuration (ServerSideEncryptionConfigurationNotFoundError) means something removed it or the bucket is in an unusual state.",
  fix: 'Set default encryption: `aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}\'` (or AES256 for SSE-S3). Objects written before stay as they were: re-copy them to encrypt.',
  configRuleIdentifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.4",
  riskWeight: 8,
  evaluate({ settings }) {
    const s = settings.encryption;
    const evidence = { encryption: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("default encryption", s), evidence);
    if (s.status === "absent") {
      return fail(
        `no default encryption configuration (${s.errorCode ?? "not configured"}): new objects are not encrypted by default`,
        evidence,
      );
    }
    const algorithms = s.value.rules.map((r) => r.algorithm);
    if (algorithms.length === 0) return fail("the encryption configuration has no rules", evidence);
    const good = algorithms.filter((a) => ENCRYPTING.has(a));
    if (good.length > 0) return pass(`default encryption ${good.join(", ")}`, evidence);
    return unknownVerdict(
      `unrecognized encryption algorithm ${algorithms.join(", ")}: cannot confirm objects are encrypted`,
      evidence,
    );
  },
};
