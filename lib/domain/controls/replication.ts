import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const replication: Control<"replication"> = {
  id: "replication",
  title: "Replication",
  checks:
    "At least one enabled replication rule copies objects to another bucket; destinations and whether they are in another account are reported.",
  why: "A copy kept apart from production (ideally another account and region) survives account compromise, deletion and regional outage. NIST SP 800-53 CP-9/CP-6, Security Hub S3.7.",
  fix: "Enable versioning on both buckets, create a replication role, then `aws s3api put-bucket-replication --bucket BUCKET --replication-configuration file://replication.json` with a destination bucket in a separate backup account (set Destination.Account and AccessControlTranslation.Owner=Destination).",
  configRuleIdentifier: "S3_BUCKET_REPLICATION_ENABLED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.7",
  riskWeight: 3,
  evaluate({ bucket, settings }) {
    const s = settings.replication;
    const evidence = { replication: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("replication configuration", s), evidence);
    if (s.status === "absent") return fail("no replication configuration", evidence);
    const enabled = s.value.rules.filter((r) => r.status === "Enabled");
    if (enabled.length === 0) return fail("replication rules exist but none is Enabled", evidence);
    const destinations = enabled.map((r) =>
      r.destinationAccount && r.destinationAccount !== bucket.accountId
        ? `${r.destinationBucketArn} (account ${r.destinationAccount})`
        : `${r.destinationBucketArn} (same account)`,
    );
    return pass(`replicates to ${destinations.join(", ")}`, evidence);
  },
};
