/**
 * Effective public exposure of one bucket: bucket policy and bucket ACL, as filtered by Object Ownership and Block
 * Public Access (bucket OR account level — the most restrictive combination wins).
 *
 *  - BlockPublicAcls only blocks *new* public ACLs; existing ones still apply → it does not change exposure.
 *  - IgnorePublicAcls makes S3 ignore public ACL grants → ACL channel not public.
 *  - BlockPublicPolicy only blocks *setting* a public policy; an existing one still applies → no change.
 *  - RestrictPublicBuckets limits a public policy to AWS service principals and the owner account → policy
 *    channel not public (and cross-account grants of that policy are cut off too).
 *  - Object Ownership BucketOwnerEnforced disables ACLs → ACL channel not public.
 *
 * Whatever we could not read makes the answer unknown, with the reason — unless a known setting makes it moot.
 */
import type { AclSettings, ObjectOwnership, PolicySettings, PublicAccessBlock, Setting } from "../bucket-settings";
import { analyzeAcl, type AclAnalysis } from "./analyze-acl";
import { analyzeBucketPolicy, type PolicyAnalysisOk } from "./analyze-policy";

export type ExposureStatus = "public" | "not-public" | "unknown";

export interface ExposureVerdict {
  status: ExposureStatus;
  reason: string;
}

type BpaFlag = keyof PublicAccessBlock;
const BPA_FLAGS: readonly BpaFlag[] = [
  "blockPublicAcls",
  "ignorePublicAcls",
  "blockPublicPolicy",
  "restrictPublicBuckets",
];
const FLAG_NAMES: Record<BpaFlag, string> = {
  blockPublicAcls: "BlockPublicAcls",
  ignorePublicAcls: "IgnorePublicAcls",
  blockPublicPolicy: "BlockPublicPolicy",
  restrictPublicBuckets: "RestrictPublicBuckets",
};

export interface EffectiveBpaFlag {
  /** true/false when known; null when it could not be determined. */
  value: boolean | null;
  bucket: boolean | null;
  account: boolean | null;
  /** Why it is what it is, e.g. "on at account level", "bucket setting could not be read: AccessDenied". */
  reason: string;
}

export type EffectiveBpa = Record<BpaFlag, EffectiveBpaFlag>;

export interface EffectiveExposureInput {
  bucketName: string;
  ownerAccountId: string;
  trustedAccountIds?: string[];
  policy: Setting<PolicySettings>;
  /** AWS's own GetBucketPolicyStatus, used as a fallback when the policy itself cannot be read. */
  policyStatus?: Setting<{ isPublic: boolean }>;
  acl: Setting<AclSettings>;
  ownershipControls: Setting<{ objectOwnership: ObjectOwnership }>;
  bucketPublicAccessBlock: Setting<PublicAccessBlock>;
  accountPublicAccessBlock: Setting<PublicAccessBlock>;
}

export interface PolicyChannel {
  state: "absent" | "unreadable" | "invalid" | "analyzed";
  analysis: PolicyAnalysisOk | null;
  error: string | null;
  publicRead: ExposureVerdict;
  publicWrite: ExposureVerdict;
  /** The policy is public but RestrictPublicBuckets neutralizes it. */
  restrictedByRestrictPublicBuckets: boolean;
  /** RestrictPublicBuckets on a public policy also cuts off cross-account grants in its other statements. */
  crossAccountBlocked: boolean;
  /** AWS GetBucketPolicyStatus.IsPublic when read, for comparison. */
  awsPolicyStatusIsPublic: boolean | null;
  note: string | null;
}

export interface AclChannel {
  state: "analyzed" | "unreadable";
  analysis: AclAnalysis | null;
  publicRead: ExposureVerdict;
  publicWrite: ExposureVerdict;
  ignoredBecause: "BucketOwnerEnforced" | "IgnorePublicAcls" | null;
}

export interface EffectiveExposure {
  publicRead: ExposureVerdict;
  publicWrite: ExposureVerdict;
  bpa: EffectiveBpa;
  policy: PolicyChannel;
  acl: AclChannel;
}

function settingReason(s: Setting<unknown>): string {
  return s.status === "unknown"
    ? `${s.reason}${s.errorCode && !s.reason.includes(s.errorCode) ? ` (${s.errorCode})` : ""}`
    : "";
}

function flagAt(s: Setting<PublicAccessBlock>, flag: BpaFlag): boolean | null {
  if (s.status === "present") return s.value[flag];
  if (s.status === "absent") return false; // NoSuchPublicAccessBlockConfiguration: all four off
  return null;
}

export function effectiveBlockPublicAccess(
  bucket: Setting<PublicAccessBlock>,
  account: Setting<PublicAccessBlock>,
): EffectiveBpa {
  const out = {} as EffectiveBpa;
  for (const flag of BPA_FLAGS) {
    const b = flagAt(bucket, flag);
    const a = flagAt(account, flag);
    let value: boolean | null;
    let reason: string;
    const name = FLAG_NAMES[flag];
    if (b === true || a === true) {
      value = true;
      reason = `${name} on at ${b && a ? "bucket and account" : b ? "bucket" : "account"} level`;
    } else if (b === null || a === null) {
      value = null;
      const parts: string[] = [];
      if (b === null) parts.push(`bucket Block Public Access could not be read: ${settingReason(bucket)}`);
      if (a === null) parts.push(`account Block Public Access could not be read: ${settingReason(account)}`);
      reason = `${name} unknown (${parts.join("; ")})`;
    } else {
      value = false;
      reason = `${name} off at bucket and account level`;
    }
    out[flag] = { value, bucket: b, account: a, reason };
  }
  return out;
}

const NOT_PUBLIC = (reason: string): ExposureVerdict => ({ status: "not-public", reason });
const PUBLIC = (reason: string): ExposureVerdict => ({ status: "public", reason });
const UNKNOWN = (reason: string): ExposureVerdict => ({ status: "unknown", reason });

function policyChannel(input: EffectiveExposureInput, bpa: EffectiveBpa): PolicyChannel {
  const rpb = bpa.restrictPublicBuckets;
  const statusSetting = input.policyStatus;
  const awsIsPublic = statusSetting?.status === "present" ? statusSetting.value.isPublic : null;
  const base = {
    analysis: null,
    error: null,
    restrictedByRestrictPublicBuckets: false,
    crossAccountBlocked: false,
    awsPolicyStatusIsPublic: awsIsPublic,
    note: null,
  };
  if (input.policy.status === "absent") {
    const v = NOT_PUBLIC("no bucket policy");
    return { ...base, state: "absent", publicRead: v, publicWrite: v };
  }
  let unreadableReason: string | null = null;
  let analysis: PolicyAnalysisOk | null = null;
  let state: PolicyChannel["state"];
  let error: string | null = null;
  if (input.policy.status === "unknown") {
    state = "unreadable";
    unreadableReason = `bucket policy could not be read: ${settingReason(input.policy)}`;
    error = unreadableReason;
  } else {
    const result = analyzeBucketPolicy(input.policy.value.json, {
      ownerAccountId: input.ownerAccountId,
      bucketName: input.bucketName,
      trustedAccountIds: input.trustedAccountIds,
      ownerCanonicalId: input.acl.status === "present" ? input.acl.value.ownerId : null,
    });
    if (result.error !== null) {
      state = "invalid";
      unreadableReason = `bucket policy could not be analysed: ${result.error}`;
      error = result.error;
    } else {
      state = "analyzed";
      analysis = result;
    }
  }

  if (analysis === null) {
    if (rpb.value === true) {
      const v = NOT_PUBLIC(
        `${rpb.reason}: S3 ignores public policy grants, so the policy cannot expose the bucket (${unreadableReason})`,
      );
      return { ...base, state, error, publicRead: v, publicWrite: v };
    }
    if (awsIsPublic === false) {
      const v = NOT_PUBLIC(`${unreadableReason}; AWS GetBucketPolicyStatus reports the policy is not public`);
      return { ...base, state, error, publicRead: v, publicWrite: v };
    }
    const suffix = awsIsPublic === true ? "; AWS GetBucketPolicyStatus reports the policy IS public" : "";
    const v = UNKNOWN(`${unreadableReason}${suffix}`);
    return { ...base, state, error, publicRead: v, publicWrite: v };
  }

  const verdictFor = (isPublicChannel: boolean, words: string, statementWhys: string[]): ExposureVerdict => {
    if (!isPublicChannel) return NOT_PUBLIC(`bucket policy grants no public ${words}`);
    const why = statementWhys.join(" ");
    if (rpb.value === true)
      return NOT_PUBLIC(
        `bucket policy grants public ${words} but ${rpb.reason} limits it to AWS services and the owner account. ${why}`,
      );
    if (rpb.value === null)
      return UNKNOWN(
        `bucket policy grants public ${words}; whether RestrictPublicBuckets neutralizes it is unknown: ${rpb.reason}. ${why}`,
      );
    return PUBLIC(`bucket policy grants public ${words}. ${why}`);
  };
  const readWhys = analysis.publicStatements.filter((s) => s.read).map((s) => s.why);
  const writeWhys = analysis.publicStatements.filter((s) => s.write).map((s) => s.why);
  let note: string | null = null;
  if (awsIsPublic !== null && awsIsPublic !== analysis.isPublic) {
    note = `AWS GetBucketPolicyStatus says IsPublic=${awsIsPublic}; this analysis says ${analysis.isPublic ? "public" : "not public"}. Check the statements' reasons.`;
  }
  return {
    ...base,
    state,
    analysis,
    publicRead: verdictFor(analysis.allowsPublicRead, "read", readWhys),
    publicWrite: verdictFor(analysis.allowsPublicWrite, "write", writeWhys),
    restrictedByRestrictPublicBuckets: analysis.isPublic && rpb.value === true,
    crossAccountBlocked: analysis.isPublic && rpb.value === true,
    note,
  };
}

function aclChannel(input: EffectiveExposureInput, bpa: EffectiveBpa): AclChannel {
  const ownership = input.ownershipControls;
  const analysis = input.acl.status === "present" ? analyzeAcl(input.acl.value) : null;
  if (ownership.status === "present" && ownership.value.objectOwnership === "BucketOwnerEnforced") {
    const v = NOT_PUBLIC("ACLs are disabled (Object Ownership BucketOwnerEnforced), so ACL grants are ignored");
    return {
      state: analysis ? "analyzed" : "unreadable",
      analysis,
      publicRead: v,
      publicWrite: v,
      ignoredBecause: "BucketOwnerEnforced",
    };
  }
  const ipa = bpa.ignorePublicAcls;
  if (ipa.value === true) {
    const v = NOT_PUBLIC(`${ipa.reason}: S3 ignores public ACL grants`);
    return {
      state: analysis ? "analyzed" : "unreadable",
      analysis,
      publicRead: v,
      publicWrite: v,
      ignoredBecause: "IgnorePublicAcls",
    };
  }
  if (!analysis) {
    const v = UNKNOWN(`bucket ACL could not be read: ${settingReason(input.acl)}`);
    return { state: "unreadable", analysis: null, publicRead: v, publicWrite: v, ignoredBecause: null };
  }
  const verdictFor = (isPublicChannel: boolean, words: string, grants: string[]): ExposureVerdict => {
    if (!isPublicChannel) return NOT_PUBLIC(`bucket ACL grants no public ${words}`);
    // A bucket whose ACL grants others access cannot have BucketOwnerEnforced (AWS refuses the switch until the
    // ACL is reset), so an unreadable Object Ownership setting does not make a public ACL uncertain.
    if (ipa.value === null)
      return UNKNOWN(
        `bucket ACL grants public ${words}; whether IgnorePublicAcls neutralizes it is unknown: ${ipa.reason}. ${grants.join(" ")}`,
      );
    return PUBLIC(`bucket ACL grants public ${words}. ${grants.join(" ")}`);
  };
  return {
    state: "analyzed",
    analysis,
    publicRead: verdictFor(
      analysis.publicRead,
      "read",
      analysis.grants.filter((g) => g.public && g.read).map((g) => g.why),
    ),
    publicWrite: verdictFor(
      analysis.publicWrite,
      "write",
      analysis.grants.filter((g) => g.public && g.write).map((g) => g.why),
    ),
    ignoredBecause: null,
  };
}

function combine(policy: ExposureVerdict, acl: ExposureVerdict): ExposureVerdict {
  const parts = [`policy: ${policy.reason}`, `ACL: ${acl.reason}`];
  if (policy.status === "public" || acl.status === "public") {
    return PUBLIC(
      [policy, acl]
        .filter((v) => v.status === "public")
        .map((v) => (v === policy ? parts[0] : parts[1]))
        .join(" | "),
    );
  }
  if (policy.status === "unknown" || acl.status === "unknown") {
    return UNKNOWN(
      [policy, acl]
        .filter((v) => v.status === "unknown")
        .map((v) => (v === policy ? parts[0] : parts[1]))
        .join(" | "),
    );
  }
  return NOT_PUBLIC(parts.join(" | "));
}

export function computeEffectiveExposure(input: EffectiveExposureInput): EffectiveExposure {
  const bpa = effectiveBlockPublicAccess(input.bucketPublicAccessBlock, input.accountPublicAccessBlock);
  const policy = policyChannel(input, bpa);
  const acl = aclChannel(input, bpa);
  return {
    publicRead: combine(policy.publicRead, acl.publicRead),
    publicWrite: combine(policy.publicWrite, acl.publicWrite),
    bpa,
    policy,
    acl,
  };
}
