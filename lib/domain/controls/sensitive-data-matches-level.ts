import type { MacieBucketContext } from "../bucket-settings";
import type { Control } from "./control";
import { fail, pass, unknownVerdict, unreadableReason } from "./control-helpers";

/**
 * What Macie tells us the bucket holds. Findings are direct evidence. The sensitivity score (DescribeBuckets) is
 * evidence only when it reflects analysis: above 50 it always does; exactly 50 is also the placeholder Macie shows
 * when automated discovery is off, so it counts only while automated discovery monitors the bucket.
 */
export function sensitiveDataSignal(m: MacieBucketContext): { found: boolean; signals: string[] } {
  const signals: string[] = [];
  const f = m.sensitiveFindings;
  if (f.count > 0) {
    signals.push(
      `${f.count} sensitive-data finding${f.count > 1 ? "s" : ""} (${f.categories.join(", ") || f.types.join(", ") || "unspecified"})`,
    );
  }
  const score = m.sensitivityScore;
  if (score !== null && (score > 50 || (score === 50 && m.automatedDiscoveryMonitoringStatus === "MONITORED"))) {
    signals.push(`sensitivity score ${score}`);
  }
  return { found: signals.length > 0, signals };
}

export const sensitiveDataMatchesLevel: Control<"sensitive-data-matches-level"> = {
  id: "sensitive-data-matches-level",
  title: "Sensitive data matches classification",
  checks:
    "If Macie found personal, financial, credential or custom-identifier data (findings, or a sensitivity score of 50 or more from automated discovery), the bucket is classified at the top level; sensitive data on a lower or unclassified bucket fails.",
  why: "A classification is only as good as its accuracy: PII in a bucket labelled Low gets Low protection. This closes the loop between the label and what the data really is (GDPR Art. 32, NIST SP 800-53 RA-2 security categorization).",
  fix: "Either move the sensitive objects to a bucket at the right level, or raise this bucket's classification (tag DataClassification=High or set it in Custody) and fix the controls that level requires. If the finding is a false positive, suppress it in Macie with an allow list.",
  configRuleIdentifier: null,
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: null,
  // Counted through the risk score's "level below the data" term instead.
  riskWeight: 0,
  evaluate({ bucket, macie, classification }) {
    const where = `${bucket.accountId}/${bucket.region}`;
    const level = {
      levelKey: classification.levelKey,
      levelRank: classification.levelRank,
      classified: classification.classified,
      requiredLevelKey: classification.topLevelKey,
      requiredLevelRank: classification.topLevelRank,
    };
    if (macie === null) return unknownVerdict(`Macie state was not collected for ${where}`, { macie: null, ...level });
    const m = macie.macie;
    const evidence: Record<string, unknown> = {
      macie: m,
      sensitiveFindings: macie.sensitiveFindings,
      sensitivityScore: macie.sensitivityScore,
      automatedDiscoveryMonitoringStatus: macie.automatedDiscoveryMonitoringStatus ?? null,
      ...level,
    };
    if (m.status === "disabled" || m.status === "absent")
      return unknownVerdict(`Macie is not enabled in ${where}`, evidence);
    if (m.status === "unknown") return unknownVerdict(unreadableReason(`Macie status in ${where}`, m), evidence);
    const paused = m.value.status === "PAUSED" ? " (Macie is paused: findings may be out of date)" : "";
    const { found, signals } = sensitiveDataSignal(macie);
    evidence.signals = signals;
    if (!found) return pass(`Macie reports no sensitive data${paused}`, evidence);
    if (!classification.classified) {
      return fail(
        `${signals.join("; ")} on an unclassified bucket: sensitive data needs ${classification.topLevelName}${paused}`,
        evidence,
      );
    }
    if (classification.levelRank < classification.topLevelRank) {
      return fail(
        `${signals.join("; ")} on a ${classification.levelName} bucket: sensitive data needs ${classification.topLevelName}${paused}`,
        evidence,
      );
    }
    return pass(
      `${signals.join("; ")} on a ${classification.levelName} bucket, as sensitive data requires${paused}`,
      evidence,
    );
  },
};
