import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const versioning: Control<"versioning"> = {
  id: "versioning",
  title: "Versioning enabled",
  checks: "Versioning status is Enabled (Suspended or never enabled fail).",
  why: "Versioning keeps overwritten and deleted objects recoverable — the first line of defence against ransomware and mistakes, and a prerequisite for replication, Object Lock and MFA delete. NIST SP 800-53 CP-9 (backup), Security Hub S3.14.",
  fix: "`aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled`, plus a lifecycle rule expiring noncurrent versions to bound cost.",
  configRuleIdentifier: "S3_BUCKET_VERSIONING_ENABLED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.14",
  riskWeight: 6,
  evaluate({ settings }) {
    const s = settings.versioning;
    const evidence = { versioning: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("versioning", s), evidence);
    if (s.status === "absent" || s.value.status === "Off") return fail("versioning has never been enabled", evidence);
    if (s.value.status === "Suspended")
      return fail("versioning is Suspended: new overwrites and deletes are not kept", evidence);
    return pass("versioning is Enabled", evidence);
  },
};
