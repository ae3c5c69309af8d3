import type { AccountControl } from "./account-control";
import { judgeTrailBuckets } from "./trail-bucket";

export const trailBucketNotPublic: AccountControl<"trail-bucket-not-public"> = {
  id: "trail-bucket-not-public",
  title: "Trail bucket not public",
  checks:
    "The S3 bucket each logging trail delivers to is not readable or writable by the public, after Block Public Access, its ACL and its policy (the bucket evaluation's effective exposure).",
  why: "Public CloudTrail logs hand an attacker a map of the organisation's accounts, roles and weak spots. Security Hub CloudTrail.6 (CIS AWS Foundations 1.2 2.3 / 1.4 3.3).",
  fix: "Turn on all four Block Public Access settings on the log bucket (`aws s3api put-public-access-block --bucket LOG_BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`) and remove public statements and grants.",
  securityHubControlId: "CloudTrail.6",
  cisIds: ["CIS 1.2 2.3", "CIS 1.4 3.3"],
  evaluate(input) {
    return judgeTrailBuckets(
      input,
      (b) => {
        const evidence = { exposure: b.exposure, publicWrite: b.publicWrite };
        if (b.exposure === "public" || b.publicWrite === "public") {
          const what = [b.exposure === "public" && "read", b.publicWrite === "public" && "write"].filter(Boolean);
          return { status: "fail", reason: `the public can ${what.join(" and ")} it`, evidence };
        }
        if (b.exposure === "not-public" && b.publicWrite === "not-public") {
          return { status: "pass", reason: "not public", evidence };
        }
        return {
          status: "unknown",
          reason: "its public exposure is not known (see the bucket page for the setting that could not be read)",
          evidence,
        };
      },
      "no trail's log bucket is public",
    );
  },
};
