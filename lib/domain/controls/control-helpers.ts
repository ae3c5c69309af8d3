/** Small helpers shared by the controls: turning settings into evidence and unknowns into reasons. */
import type { Setting } from "../bucket-settings";
import { computeEffectiveExposure, type EffectiveExposure } from "../policy/effective-exposure";
import type { ControlVerdict } from "./control";
import type { ControlInput } from "./control-input";

/** A Setting as evidence: the value when read, otherwise what AWS said or why we could not read it. */
export function settingEvidence<T>(s: Setting<T>): unknown {
  if (s.status === "present") return s.value;
  if (s.status === "absent") return s.errorCode ? { status: "absent", errorCode: s.errorCode } : { status: "absent" };
  return s.errorCode
    ? { status: "unknown", reason: s.reason, errorCode: s.errorCode }
    : { status: "unknown", reason: s.reason };
}

export function unreadableReason(what: string, s: { reason: string; errorCode?: string }): string {
  const code = s.errorCode && !s.reason.includes(s.errorCode) ? ` (${s.errorCode})` : "";
  return `${what} could not be read: ${s.reason}${code}`;
}

export const pass = (reason: string, evidence: Record<string, unknown>): ControlVerdict => ({
  status: "pass",
  reason,
  evidence,
});
export const fail = (reason: string, evidence: Record<string, unknown>): ControlVerdict => ({
  status: "fail",
  reason,
  evidence,
});
export const unknownVerdict = (reason: string, evidence: Record<string, unknown>): ControlVerdict => ({
  status: "unknown",
  reason,
  evidence,
});

/**
 * Effective exposure per settings object, with the other inputs it was computed from. Keyed on the settings rather
 * than the input object: evaluateBucket copies its input (adding the classification) and the effective-access card
 * reads the original, so a cache per input object analysed every bucket's policy and ACL twice per evaluation.
 */
const exposureCache = new WeakMap<
  object,
  { bucket: unknown; account: unknown; trustedAccountIds: unknown; exposure: EffectiveExposure }
>();

/** Effective exposure of the bucket; computed once per bucket's inputs (several controls need it). */
export function exposureFor(input: Omit<ControlInput, "classification">): EffectiveExposure {
  const held = exposureCache.get(input.settings);
  if (
    held &&
    held.bucket === input.bucket &&
    held.account === input.account &&
    held.trustedAccountIds === input.trustedAccountIds
  )
    return held.exposure;
  const exposure = computeEffectiveExposure({
    bucketName: input.bucket.name,
    ownerAccountId: input.bucket.accountId,
    trustedAccountIds: input.trustedAccountIds,
    policy: input.settings.policy,
    policyStatus: input.settings.policyStatus,
    acl: input.settings.acl,
    ownershipControls: input.settings.ownershipControls,
    bucketPublicAccessBlock: input.settings.publicAccessBlock,
    accountPublicAccessBlock: input.account.publicAccessBlock,
  });
  exposureCache.set(input.settings, {
    bucket: input.bucket,
    account: input.account,
    trustedAccountIds: input.trustedAccountIds,
    exposure,
  });
  return exposure;
}

/**
 * The exposure evidence built for each exposure (four controls of a bucket show it). Shared, so never mutated: a
 * control that adds to it spreads it into its own object.
 */
const exposureEvidenceCache = new WeakMap<EffectiveExposure, Readonly<Record<string, unknown>>>();

/** Compact exposure evidence: the verdicts and the settings behind them (read-only; spread it to add fields). */
export function exposureEvidence(input: ControlInput, e: EffectiveExposure): Readonly<Record<string, unknown>> {
  let evidence = exposureEvidenceCache.get(e);
  if (!evidence) {
    evidence = buildExposureEvidence(input, e);
    exposureEvidenceCache.set(e, evidence);
  }
  return evidence;
}

function buildExposureEvidence(input: ControlInput, e: EffectiveExposure): Record<string, unknown> {
  return {
    publicRead: e.publicRead,
    publicWrite: e.publicWrite,
    policyChannel: {
      state: e.policy.state,
      error: e.policy.error,
      publicStatements: e.policy.analysis?.publicStatements ?? [],
      restrictedByRestrictPublicBuckets: e.policy.restrictedByRestrictPublicBuckets,
      awsPolicyStatusIsPublic: e.policy.awsPolicyStatusIsPublic,
      note: e.policy.note,
    },
    aclChannel: {
      state: e.acl.state,
      ignoredBecause: e.acl.ignoredBecause,
      publicGrants: e.acl.analysis?.grants.filter((g) => g.public) ?? [],
    },
    effectiveBlockPublicAccess: Object.fromEntries(Object.entries(e.bpa).map(([k, v]) => [k, v.value])),
    bucketPublicAccessBlock: settingEvidence(input.settings.publicAccessBlock),
    accountPublicAccessBlock: settingEvidence(input.account.publicAccessBlock),
    objectOwnership: settingEvidence(input.settings.ownershipControls),
    policy: settingEvidence(input.settings.policy),
    acl: settingEvidence(input.settings.acl),
  };
}
