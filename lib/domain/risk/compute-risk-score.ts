/**
 * Bucket risk score, 0–100, that explains itself: the score is the sum of its terms (capped at 100), and every
 * term says what it is for. Deterministic: same inputs, same terms in the same order.
 *
 * Reach first. Who can get at the data weighs more than how the bucket is kept: any bucket readable or writable by
 * the public or by an account outside the organisation scores at least 41, and a private bucket
 * without sensitive data scores at most 40 (its non-reach control failures are capped at 30, its unknowns at 10).
 * So a public or outside-reachable bucket always ranks above a private one that is merely unclassified or fails
 * housekeeping controls; only a private bucket where Macie found sensitive data can pass it.
 *
 * Formula
 *   w = levelRank / topLevelRank                  (how sensitive the bucket's level is; High = 1, Low ≈ 0.33)
 *   reach       public write             +55      (regardless of level: anyone can replace or delete data)
 *               public read              +45 + round(10 × w)   (a public High bucket weighs a little more than Low)
 *               untrusted account read   +41 + round(4 × w)    (a bucket policy lets an account outside the
 *                                                         organisation and the trusted list read — counted whether or
 *                                                         not the level requires least-privilege read)
 *   data        sensitive data found     +10      (Macie findings, or sensitivity score ≥ 50 from discovery)
 *               level below the data     +20      (sensitive data on a lower-level or unclassified bucket)
 *               sensitive AND public read +20;  sensitive AND untrusted account read (not public) +10
 *   controls    each failed required control  +round(weight(control) × w)   (each control's riskWeight); the
 *               controls that do not open the bucket to anyone (all but REACH_CONTROLS) add at most +30 together
 *               each waived required control  +0  (listed, so the waiver stays visible)
 *               each unknown required control +2, at most +10 in total (we could not check: not safe, not proof)
 *   score = min(100, Σ terms)
 * Reach terms overlap with no-public-read / no-public-write, so those two controls weigh little themselves.
 */
import { CONTROL_CATALOG } from "../controls/catalog";
import type { ControlId } from "../controls/control-ids";
import type { ExposureStatus } from "../policy/effective-exposure";

const RISK_WEIGHT = new Map<ControlId, number>(CONTROL_CATALOG.map((c) => [c.id, c.riskWeight]));

export interface RiskTerm {
  label: string;
  points: number;
  controlId?: ControlId;
}

export interface RiskScore {
  score: number;
  terms: RiskTerm[];
}

export interface RiskInput {
  results: {
    controlId: ControlId;
    title: string;
    required: boolean;
    status: "pass" | "fail" | "unknown" | "waived" | "not-required";
  }[];
  levelRank: number;
  topLevelRank: number;
  exposure: { publicRead: ExposureStatus; publicWrite: ExposureStatus; untrustedCrossAccountRead?: boolean };
  sensitiveData: { found: boolean; belowRequiredLevel: boolean };
}

const UNKNOWN_POINTS = 2;
const UNKNOWN_CAP = 10;
/** Controls whose failure means someone outside can read or write: their weight is never capped. */
const REACH_CONTROLS: ReadonlySet<ControlId> = new Set<ControlId>([
  "no-public-read",
  "no-public-write",
  "least-privilege-read",
  "least-privilege-write",
]);
/** What every other failed control may add together, so that housekeeping never outranks reach. */
const NON_REACH_CONTROL_CAP = 30;

export function computeRiskScore(input: RiskInput): RiskScore {
  const w = input.topLevelRank > 0 ? Math.min(1, Math.max(0, input.levelRank / input.topLevelRank)) : 1;
  const terms: RiskTerm[] = [];
  const publicRead = input.exposure.publicRead === "public";
  const untrustedRead = input.exposure.untrustedCrossAccountRead === true;
  if (input.exposure.publicWrite === "public") terms.push({ label: "publicly writable", points: 55 });
  if (publicRead) terms.push({ label: "publicly readable", points: 45 + Math.round(10 * w) });
  if (untrustedRead) {
    terms.push({
      label: "readable by an account outside the organisation and the trusted accounts",
      points: 41 + Math.round(4 * w),
    });
  }
  if (input.sensitiveData.found) terms.push({ label: "Macie found sensitive data", points: 10 });
  if (input.sensitiveData.belowRequiredLevel)
    terms.push({ label: "sensitive data on a bucket classified below what it needs", points: 20 });
  if (input.sensitiveData.found && publicRead) {
    terms.push({ label: "sensitive data is publicly readable", points: 20 });
  } else if (input.sensitiveData.found && untrustedRead) {
    terms.push({ label: "sensitive data is readable from outside the organisation", points: 10 });
  }
  let nonReachBudget = NON_REACH_CONTROL_CAP;
  let unknownBudget = UNKNOWN_CAP;
  for (const r of input.results) {
    if (!r.required) continue;
    if (r.status === "fail") {
      let points = Math.round(RISK_WEIGHT.get(r.controlId)! * w);
      if (!REACH_CONTROLS.has(r.controlId)) {
        points = Math.min(points, nonReachBudget);
        nonReachBudget -= points;
      }
      terms.push({ label: `required control failed: ${r.title}`, points, controlId: r.controlId });
    } else if (r.status === "waived") {
      terms.push({ label: `required control waived: ${r.title}`, points: 0, controlId: r.controlId });
    } else if (r.status === "unknown") {
      const points = Math.min(UNKNOWN_POINTS, unknownBudget);
      unknownBudget -= points;
      terms.push({ label: `required control could not be checked: ${r.title}`, points, controlId: r.controlId });
    }
  }
  const total = terms.reduce((sum, t) => sum + t.points, 0);
  return { score: Math.min(100, total), terms };
}
