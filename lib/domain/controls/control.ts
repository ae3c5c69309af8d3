/** The shape of one control: metadata people read, and a pure evaluate(). */
import type { ControlId } from "./control-ids";
import type { ControlInput } from "./control-input";

export type ControlStatus = "pass" | "fail" | "unknown";

export interface ControlVerdict {
  status: ControlStatus;
  /** The settings the control read (and derived facts), so an auditor can re-check the verdict by hand. */
  evidence: Record<string, unknown>;
  reason: string;
}

export interface Control {
  id: ControlId;
  title: string;
  /** What it checks, in one or two sentences. */
  checks: string;
  /** The standard or incident it answers. */
  why: string;
  /** How to fix a failure, concretely. */
  fix: string;
  /** AWS Config managed rule SourceIdentifier it mirrors, compared per bucket; null when none exists. */
  configRuleIdentifier: string | null;
  /** Further Config rules that cover part of the same ground (shown, not compared per bucket). */
  relatedConfigRuleIdentifiers: string[];
  securityHubControlId: string | null;
  evaluate(input: ControlInput): ControlVerdict;
}
