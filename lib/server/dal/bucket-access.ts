import "server-only";
/**
 * Who can read and who can write a bucket, and through which statement or grant: lib/domain's policy and ACL
 * analysis run on the stored settings, with the evaluation context the stored verdicts were computed with (trusted
 * accounts, the account's Block Public Access). A setting that could not be read stays unknown with its reason.
 */
import type { BucketSettings, ObjectOwnership } from "@/lib/domain/bucket-settings";
import { effectiveBlockPublicAccess } from "@/lib/domain/policy/effective-exposure";
import { analyzeAcl, type AclAnalysis } from "@/lib/domain/policy/analyze-acl";
import { analyzeBucketPolicy, type PolicyAnalysisOk } from "@/lib/domain/policy/analyze-policy";
import { loadEvaluationContext } from "@/lib/evaluation/evaluation-context";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

export type PolicyAccessView =
  /** overriddenBy: what keeps the policy's public statements from making the bucket public (RestrictPublicBuckets). */
  | { status: "analysed"; analysis: PolicyAnalysisOk; overriddenBy: string | null }
  | { status: "absent" }
  | { status: "unknown"; reason: string };

export type AclAccessView =
  /** overriddenBy: what makes S3 ignore the ACL's public grants (IgnorePublicAcls at bucket or account level). */
  | { status: "analysed"; analysis: AclAnalysis; aclsDisabled: boolean; overriddenBy: string | null }
  | { status: "absent" }
  | { status: "unknown"; reason: string };

export async function analyzeBucketAccess(
  actor: Actor | null,
  bucket: { accountId: string; name: string; settings: BucketSettings | null },
): Promise<{ policy: PolicyAccessView; acl: AclAccessView; trustedAccountIds: string[] }> {
  authorize(actor, "buckets:read");
  // The evaluation's own context, so the page's analysis always agrees with the stored verdicts.
  const context = await loadEvaluationContext(db(), { buckets: { accountId: bucket.accountId } });
  const { trustedAccountIds } = context;
  const settings = bucket.settings;
  if (!settings) {
    const reason = "The bucket's settings have not been read yet";
    return { policy: { status: "unknown", reason }, acl: { status: "unknown", reason }, trustedAccountIds };
  }

  // Block Public Access at bucket or account level can override a public grant: the card says so, as the exposure
  // verdict does, so the two never disagree (the same effectiveBlockPublicAccess decides both).
  const bpa = effectiveBlockPublicAccess(
    settings.publicAccessBlock,
    context.accountSettings(bucket.accountId).publicAccessBlock,
  );
  const ownerCanonicalId = settings.acl.status === "present" ? settings.acl.value.ownerId : null;
  let policy: PolicyAccessView;
  if (settings.policy.status === "present") {
    const analysis = analyzeBucketPolicy(settings.policy.value.json, {
      ownerAccountId: bucket.accountId,
      bucketName: bucket.name,
      trustedAccountIds,
      ownerCanonicalId,
    });
    policy =
      analysis.error === null
        ? {
            status: "analysed",
            analysis,
            overriddenBy:
              analysis.isPublic && bpa.restrictPublicBuckets.value === true ? bpa.restrictPublicBuckets.reason : null,
          }
        : { status: "unknown", reason: `The policy could not be analysed: ${analysis.error}` };
  } else if (settings.policy.status === "absent") {
    policy = { status: "absent" };
  } else {
    policy = { status: "unknown", reason: withCode(settings.policy.reason, settings.policy.errorCode) };
  }

  let acl: AclAccessView;
  if (settings.acl.status === "present") {
    const ownership: ObjectOwnership | null =
      settings.ownershipControls.status === "present" ? settings.ownershipControls.value.objectOwnership : null;
    const analysis = analyzeAcl(settings.acl.value);
    const hasPublicGrant = analysis.grants.some((g) => g.public);
    acl = {
      status: "analysed",
      analysis,
      aclsDisabled: ownership === "BucketOwnerEnforced",
      overriddenBy: hasPublicGrant && bpa.ignorePublicAcls.value === true ? bpa.ignorePublicAcls.reason : null,
    };
  } else if (settings.acl.status === "absent") {
    acl = { status: "absent" };
  } else {
    acl = { status: "unknown", reason: withCode(settings.acl.reason, settings.acl.errorCode) };
  }
  return { policy, acl, trustedAccountIds };
}

const withCode = (reason: string, code?: string) => (code && !reason.includes(code) ? `${reason} (${code})` : reason);
