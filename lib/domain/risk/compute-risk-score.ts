/**
 * Bucket risk score, 0–100, that explains itself: the score is the sum of its terms (capped at 100), and every
 * term says what it is for. Deterministic: same inputs, same terms in the same order.
 *
 * Formula
 *   w = levelRank / topLevelRank                  (how sensitive the bucket's level is; High = 1, Low ≈ 0.33)
 *   exposure    public write             +40      (regardless of level: anyone can replace or delete data)
 *               public read              +round(30 × w)   (a public Low bucket may be intended, a High one never)
               untrusted account read   +round(15 × w)   (a bucket policy lets an account outside the organisation
                                                         and the trusted list read — counted whether or not the
                                                         level requires least-privilege read, like public read)
 *   data        sensitive data found     +10      (Macie findings, or sensitivity score ≥ 50 from discovery)
 *               level below the data     +20      (sensitive data on a lower-level or unclassified bucket)
 *               sensitive AND public read +20
 *   controls    each failed required control  +round(weight(control) × w)   (each control's riskWeight)
 *               each waived required control  +0  (listed, so the waiver stays visible)
 *               each unknown required control +2, at most +10 in total (we could not check: not safe, not proof)
 *   score = min(100, Σ terms)
 * Exposure terms overlap with no-public-read / no-public-write, so those two controls weigh little themselves.
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

export function computeRiskScore(input: RiskInput): RiskScore {
  const w = input.topLevelRank > 0 ? Math.min(1, Math.max(0, input.levelRank / input.topLevelRank)) : 1;
  const terms: RiskTerm[] = [];
  if (input.exposure.publicWrite === "public") terms.push({ label: "publicly writable", points: 40 });
  if (input.exposure.publicRead === "public") terms.push({ label: "publicly readable", points: Math.round(30 * w) });
  if (input.exposure.untrustedCrossAccountRead) {
    terms.push({
      label: "readable by an account outside the organisation and the trusted accounts",
      points: Math.round(15 * w),
    });
  }
  if (input.sensitiveData.found) terms.push({ label: "Macie found sensitive data", points: 10 });
  if (input.sensitiveData.belowRequiredLevel)
    terms.push({ label: "sensitive data on a bucket classified below what it needs", points: 20 });
  if (input.sensitiveData.found && input.exposure.publicRead === "public") {
    terms.push({ label: "sensitive data is publicly readable", points: 20 });
  }
  let unknownBudget = UNKNOWN_CAP;
  for (const r of input.results) {
    if (!r.required) continue;
    if (r.status === "fail") {
      terms.push({
        label: `required control failed: ${r.title}`,
        points: Math.round(RISK_WEIGHT.get(r.controlId)! * w),
        controlId: r.controlId,
      });
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
