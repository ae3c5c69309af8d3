import type { Control } from "./control";
import { fail, pass, unknownVerdict, unreadableReason } from "./control-helpers";

export const macieMonitored: Control<"macie-monitored"> = {
  id: "macie-monitored",
  title: "Macie monitoring",
  checks:
    "Amazon Macie is enabled (and not paused) in the bucket's account and region, so sensitive data in it can be discovered.",
  why: "You cannot protect data you do not know you hold: Macie finds personal, financial and credential data so the bucket's classification can be checked against what it really contains. CIS AWS Foundations (v1.4 2.1.4 / v3.0 2.1.3: data discovered and classified), Security Hub Macie.1.",
  fix: "Enable Macie in every region through the delegated administrator (`aws macie2 enable-macie`, then `aws macie2 update-organization-configuration --auto-enable`), and turn on automated sensitive data discovery.",
  configRuleIdentifier: null,
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "Macie.1",
  riskWeight: 4,
  evaluate({ bucket, macie }) {
    const where = `${bucket.accountId}/${bucket.region}`;
    if (macie === null) return unknownVerdict(`Macie state was not collected for ${where}`, { macie: null });
    const m = macie.macie;
    const evidence = { macie: m, accountRegion: where };
    if (m.status === "disabled")
      return fail(`Macie is not enabled in ${where}${m.reason ? ` (${m.reason})` : ""}`, evidence);
    if (m.status === "unknown") return unknownVerdict(unreadableReason(`Macie status in ${where}`, m), evidence);
    if (m.status === "absent") return fail(`Macie is not enabled in ${where}`, evidence);
    if (m.value.status === "PAUSED") return fail(`Macie is paused in ${where}: no new discovery runs`, evidence);
    return pass(`Macie is enabled in ${where}`, evidence);
  },
};
