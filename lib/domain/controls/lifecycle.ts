import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const lifecycle: Control<"lifecycle"> = {
  id: "lifecycle",
  title: "Lifecycle configuration",
  checks: "At least one enabled lifecycle rule (expiration or transition) is configured.",
  why: "Data kept forever is data that can leak forever; lifecycle rules enforce retention limits (GDPR storage limitation, Art. 5(1)(e)) and clean up noncurrent versions and incomplete uploads. Security Hub S3.13.",
  fix: "`aws s3api put-bucket-lifecycle-configuration --bucket BUCKET --lifecycle-configuration file://lifecycle.json` with rules for Expiration / NoncurrentVersionExpiration matching your retention policy and AbortIncompleteMultipartUpload.",
  configRuleIdentifier: "S3_LIFECYCLE_POLICY_CHECK",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.13",
  riskWeight: 2,
  evaluate({ settings }) {
    const s = settings.lifecycle;
    const evidence = { lifecycle: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("lifecycle configuration", s), evidence);
    if (s.status === "absent") return fail("no lifecycle configuration", evidence);
    const enabled = s.value.rules.filter((r) => r.status === "Enabled");
    if (enabled.length === 0) return fail("lifecycle rules exist but none is Enabled", evidence);
    return pass(`${enabled.length} enabled lifecycle rule${enabled.length > 1 ? "s" : ""}`, evidence);
  },
};
