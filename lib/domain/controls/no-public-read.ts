import type { Control } from "./control";
import { exposureEvidence, exposureFor, fail, pass, unknownVerdict } from "./control-helpers";

export const noPublicRead: Control<"no-public-read"> = {
  id: "no-public-read",
  title: "No public read",
  checks:
    "Neither the bucket policy nor the bucket ACL lets anonymous or any-AWS-account callers list or read objects, after Object Ownership and bucket/account Block Public Access are applied.",
  why: "Public buckets are the most common S3 data leak (e.g. the 2017 Verizon/NICE and Accenture exposures). CIS AWS Foundations (v3.0 2.1.4, Block Public Access), Security Hub S3.2, NIST SP 800-53 AC-3/AC-21.",
  fix: 'Turn on Block Public Access for the account (`aws s3control put-public-access-block --account-id ACCOUNT --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`); remove Principal "*" grants or restrict them with aws:SourceVpce / aws:PrincipalOrgID; set Object Ownership to BucketOwnerEnforced. For public websites, serve through CloudFront with Origin Access Control instead.',
  configRuleIdentifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.2",
  // Little: the exposure terms of the risk score already count a public bucket.
  riskWeight: 5,
  evaluate(input) {
    const e = exposureFor(input);
    const evidence = exposureEvidence(input, e);
    if (e.publicRead.status === "public") return fail(e.publicRead.reason, evidence);
    if (e.publicRead.status === "unknown") return unknownVerdict(e.publicRead.reason, evidence);
    return pass(e.publicRead.reason, evidence);
  },
};
