import type { Control } from "./control";
import { exposureEvidence, exposureFor, fail, pass, unknownVerdict } from "./control-helpers";

export const noPublicWrite: Control<"no-public-write"> = {
  id: "no-public-write",
  title: "No public write",
  checks:
    "Neither the bucket policy nor the bucket ACL lets anonymous or any-AWS-account callers write, delete or change access to objects or the bucket, after Object Ownership and Block Public Access are applied.",
  why: "Publicly writable buckets get their content replaced, deleted or ransomed, and are used to host malware or to inject script into sites that load from them (e.g. the 2017–2018 Magecart-style injections into writable S3-hosted JavaScript). Security Hub S3.3, NIST SP 800-53 AC-3.",
  fix: 'Turn on Block Public Access (account level: `aws s3control put-public-access-block ...`), remove write actions (s3:PutObject, s3:DeleteObject, s3:Put*, s3:*) from Principal "*" statements, remove WRITE / WRITE_ACP / FULL_CONTROL grants to AllUsers or AuthenticatedUsers, and set Object Ownership to BucketOwnerEnforced.',
  configRuleIdentifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
  relatedConfigRuleIdentifiers: [],
  securityHubControlId: "S3.3",
  // Little: the exposure terms of the risk score already count a public bucket.
  riskWeight: 5,
  evaluate(input) {
    const e = exposureFor(input);
    const evidence = exposureEvidence(input, e);
    if (e.publicWrite.status === "public") return fail(e.publicWrite.reason, evidence);
    if (e.publicWrite.status === "unknown") return unknownVerdict(e.publicWrite.reason, evidence);
    return pass(e.publicWrite.reason, evidence);
  },
};
