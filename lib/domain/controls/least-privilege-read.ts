import type { Control } from "./control";
import { assessLeastPrivilege } from "./least-privilege-assessment";

export const leastPrivilegeRead: Control<"least-privilege-read"> = {
  id: "least-privilege-read",
  title: "Least-privilege read",
  checks:
    "Nobody outside the owner account can read except trusted accounts: no public read, no AuthenticatedUsers or other-account ACL read grants, no cross-account or unscoped service-principal readers in the bucket policy outside the allow-list.",
  why: "The 2019 Capital One breach read 100+ million customer records from S3 through an over-broad role; every extra reader is a path to the data. NIST SP 800-53 AC-6 (least privilege), Security Hub S3.6.",
  fix: "Remove Principal entries for accounts that should not read (or add them to the trusted accounts if they should), add aws:SourceAccount / aws:SourceArn conditions to service-principal grants, remove ACL grants (set Object Ownership to BucketOwnerEnforced), and scope remaining grants to prefixes.",
  configRuleIdentifier: "S3_BUCKET_POLICY_GRANTEE_CHECK",
  relatedConfigRuleIdentifiers: [],
  configRuleNotComparable:
    "the rule checks the bucket policy's principals against the lists given as the rule's parameters, which Custody does not read; this control checks who outside the owner and trusted accounts can read",
  securityHubControlId: "S3.6",
  riskWeight: 12,
  evaluate: (input) => assessLeastPrivilege(input, "read"),
};
