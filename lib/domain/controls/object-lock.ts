import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const objectLock: Control<"object-lock"> = {
  id: "object-lock",
  title: "Object Lock",
  checks: "Object Lock is enabled on the bucket (write-once-read-many); a default retention is reported as evidence.",
  why: "Object Lock makes versions immutable for a retention period — protection against ransomware and insider deletion, and a records-retention requirement (SEC 17a-4, FINRA, CFTC). Security Hub S3.15.",
  fix: 'Enable Object Lock (possible on existing versioned buckets): `aws s3api put-object-lock-configuration --bucket BUCKET --object-lock-configuration \'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":30}}}\'`.',
  configRuleIdentifier: "S3_BUCKET_DEFAULT_LOCK_ENABLED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.15",
  riskWeight: 3,
  evaluate({ settings }) {
    const s = settings.objectLock;
    const evidence = { objectLock: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("Object Lock configuration", s), evidence);
    if (s.status === "absent" || !s.value.enabled) return fail("Object Lock is not enabled", evidence);
    const r = s.value.defaultRetention;
    const retention = r
      ? `${r.mode} ${r.days !== null ? `${r.days} days` : `${r.years} years`}`
      : "no default retention";
    return pass(`Object Lock is enabled (${retention})`, evidence);
  },
};
