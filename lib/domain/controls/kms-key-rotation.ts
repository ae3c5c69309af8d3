import { bucketKeyChoice, keyEvidence } from "../kms/bucket-key";
import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const kmsKeyRotation: Control<"kms-key-rotation"> = {
  id: "kms-key-rotation",
  title: "Encryption key rotates",
  checks:
    "Automatic rotation is on for the customer managed KMS key the bucket's default encryption names. AWS managed keys and SSE-S3 keys are rotated by AWS.",
  why: "A key that never rotates protects ever more data with the same key material, so one compromise exposes all of it. CIS AWS Foundations 3.6, Security Hub KMS.4, NIST SP 800-57 cryptoperiods.",
  fix: "`aws kms enable-key-rotation --key-id KEY_ARN` (optionally `--rotation-period-in-days 90..2560`), run in the key's account.",
  configRuleIdentifier: null,
  // The rule judges keys, not buckets: shown beside the control, not compared per bucket.
  relatedConfigRuleIdentifiers: ["CMK_BACKING_KEY_ROTATION_ENABLED"],
  securityHubControlId: "KMS.4",
  riskWeight: 3,
  evaluate({ settings, kmsKey }) {
    const s = settings.encryption;
    const evidence: Record<string, unknown> = { encryption: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("default encryption", s), evidence);
    if (s.status === "absent")
      return pass("no default encryption key named: S3 manages and rotates the keys", evidence);
    const choice = bucketKeyChoice(s.value);
    if (choice.kind === "none") return pass("SSE-S3: S3 manages and rotates the keys", evidence);
    if (choice.kind === "aws-managed")
      return pass("the AWS managed key alias/aws/s3: AWS rotates it every year", evidence);
    if (!kmsKey) return unknownVerdict(`key ${choice.keyRef} was not loaded for evaluation`, evidence);
    evidence.key = keyEvidence(kmsKey);
    const name = kmsKey.arn ?? kmsKey.keyRef;
    if (kmsKey.awsManaged) return pass(`${name} is an AWS managed key: AWS rotates it every year`, evidence);
    if (!kmsKey.rotation.ok) {
      return unknownVerdict(`rotation of key ${name} could not be read: ${kmsKey.rotation.reason}`, evidence);
    }
    const { enabled, periodDays } = kmsKey.rotation.value;
    return enabled
      ? pass(`automatic rotation is on for ${name}${periodDays ? ` (every ${periodDays} days)` : ""}`, evidence)
      : fail(`automatic rotation is off for ${name}`, evidence);
  },
};
