import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict, unreadableReason } from "./control-helpers";

export const aclsDisabled: Control<"acls-disabled"> = {
  id: "acls-disabled",
  title: "ACLs disabled",
  checks: "Object Ownership is BucketOwnerEnforced, so ACLs are disabled and access is governed by policies alone.",
  why: "ACLs are a second, easily overlooked access channel (object ACLs are not visible from the bucket) and the source of many accidental public grants. AWS recommends disabling them; default for new buckets since April 2023. Security Hub S3.12.",
  fix: "Move any needed ACL grants into the bucket policy, then `aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`.",
  configRuleIdentifier: "S3_BUCKET_ACL_PROHIBITED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.12",
  riskWeight: 3,
  evaluate({ settings }) {
    const s = settings.ownershipControls;
    const evidence = { ownershipControls: settingEvidence(s) };
    if (s.status === "unknown") return unknownVerdict(unreadableReason("Object Ownership", s), evidence);
    if (s.status === "absent") {
      return fail(
        `no Object Ownership setting (${s.errorCode ?? "not configured"}): ACLs are enabled with ObjectWriter behaviour`,
        evidence,
      );
    }
    if (s.value.objectOwnership === "BucketOwnerEnforced")
      return pass("Object Ownership is BucketOwnerEnforced: ACLs are disabled", evidence);
    return fail(`Object Ownership is ${s.value.objectOwnership}: ACLs still grant access`, evidence);
  },
};
