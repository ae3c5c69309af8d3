/**
 * Evaluate one bucket against its classification level: every control in the catalog, waivers, the comparison
 * with AWS Config's own verdicts, effective exposure, the Macie/classification mismatch and the risk score.
 *
 * Status rules (DESIGN.md §5): a control the level does not require is "not-required" (its actual verdict stays
 * in `observed`, so the page can still show it); a required control that fails under an active waiver
 * (expiresAt > now) is "waived"; expired waivers do nothing; unknown is never turned into anything else.
 */
import type { ConfigVerdict } from "./bucket-settings";
import type { LevelResolution } from "./classification/resolve-bucket-level";
import { findLevel, topLevel, type ClassificationScheme } from "./classification/scheme";
import { CONTROL_CATALOG } from "./controls/catalog";
import type { Control, ControlStatus } from "./controls/control";
import { exposureFor } from "./controls/control-helpers";
import type { ControlId } from "./controls/control-ids";
import type { ControlInput } from "./controls/control-input";
import { sensitiveDataSignal } from "./controls/sensitive-data-matches-level";
import type { EffectiveExposure } from "./policy/effective-exposure";
import { computeRiskScore, type RiskScore } from "./risk/compute-risk-score";

export interface Waiver {
  id: string;
  controlId: string;
  expiresAt: Date | string;
}

export type BucketControlStatus = ControlStatus | "waived" | "not-required";

export interface ConfigComparison {
  /**
   * agree / disagree: both sides gave pass-or-fail. not-comparable: our verdict is unknown, or Config said
   * NOT_APPLICABLE / INSUFFICIENT_DATA. no-data: no evaluation of this bucket (rule deployed, or Config state
   * unknown). rule-not-deployed: the account/region has no rule with this identifier.
   */
  verdict: "agree" | "disagree" | "not-comparable" | "no-data" | "rule-not-deployed";
  sourceIdentifier: string;
  /** What Config was compared with: the control's verdict, or Custody's answer to the rule's own question. */
  comparedWith: "control" | "rule-definition" | "nothing";
  /** Why the comparison is what it is, when it is not the control's verdict. */
  basis?: string;
  complianceType?: ConfigVerdict["complianceType"];
  ruleName?: string;
  recordedAt?: string;
  annotation?: string | null;
}

export interface BucketControlResult {
  controlId: ControlId;
  title: string;
  required: boolean;
  status: BucketControlStatus;
  /** What the control itself found, before required / waiver handling. */
  observed: ControlStatus;
  evidence: Record<string, unknown>;
  reason: string;
  waiverId?: string;
  /** null when no AWS Config managed rule mirrors the control. */
  config: ConfigComparison | null;
}

export interface MacieMismatch {
  levelKey: string;
  requiredLevelKey: string;
  classified: boolean;
  categories: string[];
  types: string[];
  findingCount: number;
  sensitivityScore: number | null;
  reason: string;
}

export interface BucketEvaluation {
  level: LevelResolution & { levelName: string; levelRank: number };
  results: BucketControlResult[];
  exposure: EffectiveExposure;
  macieMismatch: MacieMismatch | null;
  risk: RiskScore;
  schemeVersion: string | number;
}

export interface EvaluateBucketArgs {
  scheme: ClassificationScheme;
  schemeVersion: string | number;
  input: Omit<ControlInput, "classification">;
  level: LevelResolution;
  waivers: Waiver[];
  /** Config evaluations of this bucket (any rules); matched to controls by SourceIdentifier. */
  configVerdicts: ConfigVerdict[];
  /** SourceIdentifiers of the Config rules deployed in the bucket's account/region; null = Config state unknown. */
  deployedConfigRules: string[] | null;
  now: Date;
}

/**
 * Config side by side, like with like: each rule is compared with the answer to the rule's own question — the
 * control's verdict when they ask the same thing, the control's `configRuleVerdict` when the rule is narrower or
 * wider, and nothing ("not comparable", with why) when the rule depends on parameters Custody cannot see.
 */
function compareWithConfig(
  control: Control,
  observed: ControlStatus,
  input: ControlInput,
  verdicts: ConfigVerdict[],
  deployed: string[] | null,
): ConfigComparison {
  const identifier = control.configRuleIdentifier!;
  const basis = control.configRuleNotComparable ?? control.configRuleVerdict?.basis;
  const comparedWith = control.configRuleNotComparable
    ? "nothing"
    : control.configRuleVerdict
      ? "rule-definition"
      : "control";
  const answer = control.configRuleNotComparable
    ? "unknown"
    : control.configRuleVerdict
      ? control.configRuleVerdict.evaluate(input)
      : observed;
  const mine = verdicts
    .filter((v) => v.sourceIdentifier === identifier)
    .sort((a, b) =>
      a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : a.ruleName.localeCompare(b.ruleName),
    );
  const latest = mine[0];
  if (!latest) {
    return {
      verdict: deployed === null || deployed.includes(identifier) ? "no-data" : "rule-not-deployed",
      sourceIdentifier: identifier,
      comparedWith,
      ...(basis ? { basis } : {}),
    };
  }
  let verdict: ConfigComparison["verdict"] = "not-comparable";
  if (answer !== "unknown" && (latest.complianceType === "COMPLIANT" || latest.complianceType === "NON_COMPLIANT")) {
    const configPass = latest.complianceType === "COMPLIANT";
    verdict = configPass === (answer === "pass") ? "agree" : "disagree";
  }
  return {
    verdict,
    sourceIdentifier: identifier,
    comparedWith,
    ...(basis ? { basis } : {}),
    complianceType: latest.complianceType,
    ruleName: latest.ruleName,
    recordedAt: latest.recordedAt,
    annotation: latest.annotation,
  };
}

function isActive(w: Waiver, now: Date): boolean {
  const t = w.expiresAt instanceof Date ? w.expiresAt.getTime() : Date.parse(w.expiresAt);
  return Number.isFinite(t) && t > now.getTime();
}

export function evaluateBucket(args: EvaluateBucketArgs): BucketEvaluation {
  const { scheme } = args;
  const top = topLevel(scheme);
  const level = findLevel(scheme, args.level.levelKey) ?? findLevel(scheme, scheme.fallbackLevelKey);
  if (!level)
    throw new Error(
      `classification level "${args.level.levelKey}" and fallback "${scheme.fallbackLevelKey}" are not in the scheme`,
    );
  const input: ControlInput = {
    ...args.input,
    classification: {
      levelKey: level.key,
      levelName: level.name,
      levelRank: level.rank,
      classified: args.level.classified,
      topLevelKey: top.key,
      topLevelName: top.name,
      topLevelRank: top.rank,
      requiredControlIds: level.requiredControlIds,
    },
  };
  // The copy shares args.input's settings, bucket and account objects, so exposureFor computes the effective exposure
  // once for both (the caller's effective-access analysis reads args.input).

  const results: BucketControlResult[] = CONTROL_CATALOG.map((control) => {
    const verdict = control.evaluate(input);
    const required = level.requiredControlIds.includes(control.id);
    let status: BucketControlStatus = verdict.status;
    let waiverId: string | undefined;
    if (!required) {
      status = "not-required";
    } else if (verdict.status === "fail") {
      // Several active waivers: the one lasting longest is reported (ties by id), so output is deterministic.
      const active = args.waivers
        .filter((w) => w.controlId === control.id && isActive(w, args.now))
        .sort((a, b) => new Date(b.expiresAt).getTime() - new Date(a.expiresAt).getTime() || a.id.localeCompare(b.id));
      if (active[0]) {
        status = "waived";
        waiverId = active[0].id;
      }
    }
    return {
      controlId: control.id,
      title: control.title,
      required,
      status,
      observed: verdict.status,
      evidence: verdict.evidence,
      reason: verdict.reason,
      ...(waiverId ? { waiverId } : {}),
      config: control.configRuleIdentifier
        ? compareWithConfig(control, verdict.status, input, args.configVerdicts, args.deployedConfigRules)
        : null,
    };
  });

  const exposure = exposureFor(input);
  const mismatchResult = results.find((r) => r.controlId === "sensitive-data-matches-level");
  const macie = input.macie;
  const macieMismatch: MacieMismatch | null =
    mismatchResult && mismatchResult.observed === "fail" && macie
      ? {
          levelKey: level.key,
          requiredLevelKey: top.key,
          classified: args.level.classified,
          categories: macie.sensitiveFindings.categories,
          types: macie.sensitiveFindings.types,
          findingCount: macie.sensitiveFindings.count,
          sensitivityScore: macie.sensitivityScore,
          reason: mismatchResult.reason,
        }
      : null;
  const macieUsable = macie !== null && macie.macie.status === "present";
  const risk = computeRiskScore({
    results,
    levelRank: level.rank,
    topLevelRank: top.rank,
    exposure: {
      publicRead: exposure.publicRead.status,
      publicWrite: exposure.publicWrite.status,
      // RestrictPublicBuckets on a public policy cuts cross-account grants off, so they expose nothing then.
      untrustedCrossAccountRead:
        !exposure.policy.crossAccountBlocked &&
        (exposure.policy.analysis?.crossAccountPrincipals ?? []).some((c) => c.read && !c.trusted),
    },
    sensitiveData: {
      found: macieUsable && sensitiveDataSignal(macie).found,
      belowRequiredLevel: macieMismatch !== null,
    },
  });

  return {
    level: { ...args.level, levelKey: level.key, levelName: level.name, levelRank: level.rank },
    results,
    exposure,
    macieMismatch,
    risk,
    schemeVersion: args.schemeVersion,
  };
}
