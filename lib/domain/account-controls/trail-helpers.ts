/** Shared reading of an account's trails for the account controls: which trails log, and per-trail verdicts combined. */
import { trailRecording, type TrailRecording } from "../audit-trail/event-selectors";
import type { AccountControlInput, AccountControlVerdict, PostureTrail } from "./account-control";

export const verdict = (
  status: AccountControlVerdict["status"],
  reason: string,
  evidence: Record<string, unknown>,
): AccountControlVerdict => ({ status, reason, evidence });

export const trailLabel = (t: PostureTrail) => `${t.isOrganizationTrail ? "organisation trail" : "trail"} ${t.name}`;

/** A trail as evidence: what DescribeTrails said and what its status read said. */
export function trailEvidence(t: PostureTrail): Record<string, unknown> {
  return {
    arn: t.arn,
    ownerAccountId: t.ownerAccountId,
    isOrganizationTrail: t.isOrganizationTrail,
    isMultiRegion: t.isMultiRegion,
    logFileValidation: t.logFileValidation,
    s3BucketName: t.s3BucketName,
    kmsKeyId: t.kmsKeyId,
    logGroupArn: t.logGroupArn,
    status: t.status.ok ? t.status.value : { unreadable: t.status.reason },
  };
}

export function recordingOf(t: PostureTrail): TrailRecording | null {
  return t.eventSelectors.ok ? trailRecording(t.eventSelectors.value) : null;
}

/**
 * The trails that may be logging: logging ones, and ones whose status could not be read (they might be). A trail
 * known to be stopped records nothing and is left out. `early` is the verdict when there is nothing to judge.
 */
export function candidateTrails(
  input: AccountControlInput,
): { trails: PostureTrail[]; early?: undefined } | { early: AccountControlVerdict } {
  if (!input.trails.ok) {
    return { early: verdict("unknown", `the account's trails could not be read: ${input.trails.reason}`, {}) };
  }
  const all = input.trails.value;
  if (all.length === 0) return { early: verdict("fail", "no CloudTrail trail covers this account", { trails: [] }) };
  const trails = all.filter((t) => !t.status.ok || t.status.value.isLogging);
  if (trails.length === 0) {
    return {
      early: verdict("fail", `no trail is logging (${all.map((t) => `${t.name} is stopped`).join(", ")})`, {
        trails: all.map(trailEvidence),
      }),
    };
  }
  return { trails };
}

/**
 * Every candidate trail must hold the property: one failing names the failure, else one unreadable makes it
 * unknown, else pass. (Security Hub judges each trail: a second trail without the property is a finding too.)
 */
export function everyTrail(
  input: AccountControlInput,
  judge: (t: PostureTrail) => { status: AccountControlVerdict["status"]; reason: string; evidence?: unknown },
  passReason: (trails: PostureTrail[]) => string,
): AccountControlVerdict {
  const c = candidateTrails(input);
  if (c.early) return c.early;
  const judged = c.trails.map((t) => ({ t, ...judge(t) }));
  const evidence = {
    trails: judged.map((j) => ({ ...trailEvidence(j.t), verdict: j.status, reason: j.reason, detail: j.evidence })),
  };
  const failed = judged.filter((j) => j.status === "fail");
  if (failed.length) return verdict("fail", failed.map((j) => `${trailLabel(j.t)}: ${j.reason}`).join("; "), evidence);
  const unknown = judged.filter((j) => j.status === "unknown");
  if (unknown.length) {
    return verdict("unknown", unknown.map((j) => `${trailLabel(j.t)}: ${j.reason}`).join("; "), evidence);
  }
  return verdict("pass", passReason(c.trails), evidence);
}

/** A trail's status unreadable: say so (the verdict cannot be a pass through a trail that might not log). */
export const statusReason = (t: PostureTrail) => (t.status.ok ? null : `status could not be read: ${t.status.reason}`);
