import { bucketKeyChoice, keyEvidence } from "../kms/bucket-key";
import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const kmsKeyInOrganization: Control<"kms-key-in-organization"> = {
  id: "kms-key-in-organization",
  title: "Encryption key owned inside the organisation",
  checks:
    "The KMS key the bucket's default encryption names belongs to an account of the organisation, not to a third party. SSE-S3 and the AWS managed key belong to the bucket's own account.",
  why: "Whoever owns the key decides who can decrypt the data and can disable or delete the key: a third party's key hands that party the power to read — or to make unreadable — everything in the bucket. Access given through a key you own can be revoked by you alone.",
  fix: "Create a customer managed key in an account of the organisation, grant the bucket's readers kms:Decrypt in its key policy, set it as the bucket's default encryption key (`aws s3api put-bucket-encryption`), and re-encrypt existing objects (S3 Batch Operations copy).",
  configRuleIdentifier: null,
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: null,
  riskWeight: 6,
  evaluate({ settings, kmsKey, bucket }) {
    const s = settings.encryption;
    const evidence: Record<string, unknown> = { encryption: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("default encryption", s), evidence);
    if (s.status === "absent") return pass(`no default encryption key named: S3 manages the keys`, evidence);
    const choice = bucketKeyChoice(s.value);
    if (choice.kind === "none") {
      return pass(
        `default encryption is ${choice.algorithms.join(", ") || "empty"}: keys held by S3 for account ${bucket.accountId}`,
        evidence,
      );
    }
    if (choice.kind === "aws-managed") {
      return pass(`the AWS managed key of account ${bucket.accountId} (cannot be used by other accounts)`, evidence);
    }
    if (!kmsKey) return unknownVerdict(`key ${choice.keyRef} was not loaded for evaluation`, evidence);
    evidence.key = keyEvidence(kmsKey);
    if (kmsKey.ownerInOrganization) {
      return pass(
        `key ${kmsKey.arn ?? kmsKey.keyRef} is owned by account ${kmsKey.ownerAccountId} of the organisation`,
        evidence,
      );
    }
    return fail(
      `key ${kmsKey.arn ?? kmsKey.keyRef} is owned by account ${kmsKey.ownerAccountId}, outside the organisation: that account controls who can decrypt the bucket's data`,
      evidence,
    );
  },
};
