import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const mfaDelete: Control<"mfa-delete"> = {
  id: "mfa-delete",
  title: "MFA delete",
  checks:
    "MFA delete is enabled: permanently deleting a version or changing versioning needs the root user's MFA code.",
  why: "Stops stolen credentials from destroying version history — most important for audit-log buckets (CloudTrail). CIS AWS Foundations (v1.4 2.1.3 / v3.0 2.1.2: MFA delete), Security Hub S3.20.",
  fix: "As the root user with an MFA device: `aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa 'arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device CODE'`. Consider Object Lock instead where root MFA is impractical.",
  configRuleIdentifier: "S3_BUCKET_MFA_DELETE_ENABLED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.20",
  riskWeight: 3,
  evaluate({ settings }) {
    const s = settings.versioning;
    const evidence = { versioning: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("versioning", s), evidence);
    if (s.status === "present" && s.value.mfaDelete === "Enabled") return pass("MFA delete is Enabled", evidence);
    if (s.status === "absent" || s.value.status === "Off")
      return fail("MFA delete is off (versioning was never enabled)", evidence);
    return fail(`MFA delete is ${s.value.mfaDelete === "Disabled" ? "Disabled" : "not configured"}`, evidence);
  },
};
