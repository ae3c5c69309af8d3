/** The shape of one control: metadata people read, its weight in the risk score, and a pure evaluate(). */
import type { ControlInput } from "./control-input";

export type ControlStatus = "pass" | "fail" | "unknown";

export interface ControlVerdict {
  status: ControlStatus;
  /** The settings the control read (and derived facts), so an auditor can re-check the verdict by hand. */
  evidence: Record<string, unknown>;
  reason: string;
}

/** `Id` is the control's id as a literal type: the catalog's ids make up ControlId (control-ids.ts). */
export interface Control<Id extends string = string> {
  id: Id;
  title: string;
  /** What it checks, in one or two sentences. */
  checks: string;
  /** The standard or incident it answers. */
  why: string;
  /** How to fix a failure, concretely. */
  fix: string;
  /** AWS Config managed rule SourceIdentifier it mirrors, compared per bucket; null when none exists. */
  configRuleIdentifier: string | null;
  /**
   * The rule's own question, when it is narrower or wider than the control's (e.g. the rule looks at the bucket
   * level only, or accepts any KMS key): Custody's answer to THAT question is what Config is compared with, so a
   * disagreement always means one of the two is wrong. Absent: the control's verdict answers the rule's question.
   */
  configRuleVerdict?: { basis: string; evaluate(input: ControlInput): ControlStatus };
  /** Set when the rule asks something Custody cannot answer from what it reads (rule parameters it cannot see): why. */
  configRuleNotComparable?: string;
  /** Further Config rules that cover part of the same ground (shown, not compared per bucket). */
  relatedConfigRuleIdentifiers: string[];
  securityHubControlId: string | null;
  /**
   * Risk points a failing required control adds on a bucket at the top level, scaled down for lower levels
   * (lib/domain/risk/compute-risk-score.ts).
   */
  riskWeight: number;
  evaluate(input: ControlInput): ControlVerdict;
}
