import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";
import type { ReplicaDestination } from "./control-input";

type DestinationVerdict = { status: "pass" | "fail" | "unknown"; reason: string };

/**
 * One destination judged: in another account of the organisation, versioned, and locked when the original must be.
 * "Kept apart" means an attacker with the source account cannot delete the copy: a bucket in the same account, or in
 * an account outside the organisation (nobody here governs it), is not that.
 */
function judgeDestination(
  arn: string,
  d: ReplicaDestination | undefined,
  sourceAccountId: string,
  needsLock: boolean,
): DestinationVerdict {
  if (!d || d.ownerAccountId === null)
    return {
      status: "unknown",
      reason: `${arn}: its owner is not known (the bucket is not in any linked account and the rule names no Destination.Account)`,
    };
  const owner = d.ownerAccountName ? `${d.ownerAccountName} (${d.ownerAccountId})` : d.ownerAccountId;
  if (d.ownerAccountId === sourceAccountId)
    return { status: "fail", reason: `${arn} is in the same account: one compromised account deletes both copies` };
  if (!d.ownerLinked)
    return {
      status: "unknown",
      reason: `${arn} is in account ${owner}, which is not linked to Custody: whether it belongs to the organisation and how the copy is protected is not known`,
    };
  if (d.versioning === null || d.objectLock === null)
    return {
      status: "unknown",
      reason: `${arn}: Custody has read no such bucket in account ${owner} (it may not exist, or that account's last read missed it)`,
    };
  const v = d.versioning;
  if (v.status === "unknown")
    return { status: "unknown", reason: `${arn}: ${unreadableReason("the copy's versioning", v)}` };
  if (v.status === "absent" || v.value.status !== "Enabled")
    return {
      status: "fail",
      reason: `${arn} in account ${owner} has no versioning: an overwrite or delete replaces the copy`,
    };
  if (needsLock) {
    const l = d.objectLock;
    if (l.status === "unknown")
      return { status: "unknown", reason: `${arn}: ${unreadableReason("the copy's Object Lock configuration", l)}` };
    if (l.status === "absent" || !l.value.enabled)
      return { status: "fail", reason: `${arn} in account ${owner} has no Object Lock, which the original requires` };
  }
  return { status: "pass", reason: `a versioned${needsLock ? ", locked" : ""} copy in account ${owner}: ${arn}` };
}

export const backupsKeptApart: Control<"backups-kept-apart"> = {
  id: "backups-kept-apart",
  title: "Backups kept apart",
  checks:
    "An enabled replication rule copies the bucket into another account of the organisation linked to Custody, where the copy has versioning and — when the original has or requires Object Lock — Object Lock too. The destination's owner is shown.",
  why: "A hosting company's attacker deleted production and every backup from one console: copies in the same account fall with it. A copy in a separate account of the organisation, versioned and locked, survives the compromise of the production account. NIST SP 800-53 CP-9(8), CP-6.",
  fix: "Create a bucket in a dedicated backup account of the organisation with versioning (and Object Lock where the original has it), then replicate to it: `aws s3api put-bucket-replication --bucket BUCKET --replication-configuration file://replication.json` with Destination.Bucket in that account, Destination.Account set and AccessControlTranslation.Owner=Destination; link the backup account in Custody so the copy is checked.",
  configRuleIdentifier: null,
  relatedConfigRuleIdentifiers: ["S3_BUCKET_REPLICATION_ENABLED"],
  securityHubControlId: null,
  riskWeight: 4,
  evaluate({ bucket, settings, classification, replicaDestinations }) {
    const s = settings.replication;
    const lock = settings.objectLock;
    const needsLock =
      classification.requiredControlIds.includes("object-lock") || (lock.status === "present" && lock.value.enabled);
    const evidence: Record<string, unknown> = { replication: settingEvidence(s), copyNeedsObjectLock: needsLock };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("replication configuration", s), evidence);
    if (s.status === "absent") return fail("no replication configuration: there is no copy", evidence);
    const arns = [...new Set(s.value.rules.filter((r) => r.status === "Enabled").map((r) => r.destinationBucketArn))];
    if (arns.length === 0) return fail("replication rules exist but none is Enabled: there is no copy", evidence);
    const destinations = arns.map((arn) => ({
      arn,
      ...judgeDestination(arn, replicaDestinations[arn], bucket.accountId, needsLock),
    }));
    evidence.destinations = arns.map((arn) => {
      const d = replicaDestinations[arn];
      return {
        bucketArn: arn,
        ownerAccountId: d?.ownerAccountId ?? null,
        ownerAccountName: d?.ownerAccountName ?? null,
        ownerLinked: d?.ownerLinked ?? false,
        versioning: d?.versioning ? settingEvidence(d.versioning) : "not read",
        objectLock: d?.objectLock ? settingEvidence(d.objectLock) : "not read",
        verdict: destinations.find((x) => x.arn === arn)!.status,
      };
    });
    const passing = destinations.find((d) => d.status === "pass");
    if (passing) return pass(passing.reason, evidence);
    const reasons = destinations.map((d) => d.reason).join("; ");
    // A copy that might be kept apart (owner or settings unreadable) is unknown, never a pass and never a fail.
    if (destinations.some((d) => d.status === "unknown")) return unknownVerdict(reasons, evidence);
    return fail(reasons, evidence);
  },
};
