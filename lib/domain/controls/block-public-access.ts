import { effectiveBlockPublicAccess } from "../policy/effective-exposure";
import type { Control } from "./control";
import { fail, pass, settingEvidence, unknownVerdict } from "./control-helpers";

export const blockPublicAccess: Control<"block-public-access"> = {
  id: "block-public-access",
  title: "Block Public Access on",
  checks:
    "All four Block Public Access settings (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) are in effect for the bucket, from the bucket or the account level (S3 applies the most restrictive combination).",
  why: "Block Public Access is the guard rail that keeps a future policy or ACL mistake from exposing the bucket. CIS AWS Foundations (v1.4 2.1.5 / v3.0 2.1.4), Security Hub S3.1 (account) and S3.8 (bucket).",
  fix: "Prefer the account level: `aws s3control put-public-access-block --account-id ACCOUNT --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`; or per bucket with `aws s3api put-public-access-block --bucket BUCKET ...`. Buckets that must be public belong in a separate account or behind CloudFront.",
  configRuleIdentifier: "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
  relatedConfigRuleIdentifiers: ["S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"],
  securityHubControlId: "S3.8",
  riskWeight: 6,
  configRuleVerdict: {
    basis:
      "the rule checks the bucket's own Block Public Access (all four settings on the bucket), not the account level this control also counts",
    evaluate({ settings }) {
      const s = settings.publicAccessBlock;
      if (s.status === "unknown") return "unknown";
      if (s.status === "absent") return "fail";
      return Object.values(s.value).every((v) => v === true) ? "pass" : "fail";
    },
  },
  evaluate({ settings, account }) {
    const bpa = effectiveBlockPublicAccess(settings.publicAccessBlock, account.publicAccessBlock);
    const flags = Object.values(bpa);
    const evidence = {
      bucketPublicAccessBlock: settingEvidence(settings.publicAccessBlock),
      accountPublicAccessBlock: settingEvidence(account.publicAccessBlock),
      effective: Object.fromEntries(Object.entries(bpa).map(([k, v]) => [k, v.value])),
    };
    const off = flags.filter((f) => f.value === false);
    if (off.length > 0) return fail(off.map((f) => f.reason).join("; "), evidence);
    const unknownFlags = flags.filter((f) => f.value === null);
    if (unknownFlags.length > 0) return unknownVerdict(unknownFlags.map((f) => f.reason).join("; "), evidence);
    return pass(flags.map((f) => f.reason).join("; "), evidence);
  },
};
