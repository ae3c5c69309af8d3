import type { Control } from "./control";
import { assessLeastPrivilege } from "./least-privilege-assessment";

export const leastPrivilegeWrite: Control<"least-privilege-write"> = {
  id: "least-privilege-write",
  title: "Least-privilege write",
  checks:
    "Nobody outside the owner account can write, delete or change access except trusted accounts: no public write, no cross-account or unscoped service-principal writers in the bucket policy outside the allow-list, no ACL write grants (WRITE, WRITE_ACP, FULL_CONTROL) except to the S3 log delivery group.",
  why: "Write access lets an outsider replace or delete data (ransom, defacement, poisoned downloads) or rewrite the policy itself. NIST SP 800-53 AC-6, Security Hub S3.6 (no blacklisted actions to other accounts).",
  fix: "Remove write actions (s3:PutObject, s3:DeleteObject, s3:PutBucketPolicy, s3:PutBucketAcl, s3:*) for untrusted accounts from the bucket policy, add aws:SourceAccount / aws:SourceArn to service-principal write grants, and remove ACL write grants (set Object Ownership to BucketOwnerEnforced).",
  configRuleIdentifier: "S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE",
  relatedConfigRuleIdentifiers: ["S3_BUCKET_BLACKLISTED_ACTIONS_PROHIBITED"],
  configRuleNotComparable:
    "the rule checks the bucket policy against a control policy given as the rule's parameter, which Custody does not read; this control checks who outside the owner and trusted accounts can write",
  securityHubControlId: "S3.6",
  riskWeight: 12,
  evaluate: (input) => assessLeastPrivilege(input, "write"),
};
