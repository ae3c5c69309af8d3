/**
 * Account controls: what an account's audit trail and change alerting are worth, judged per account (not per
 * bucket). Pure: the evaluation (lib/evaluation/evaluate-account-controls.ts) builds the input from the stored reads.
 *
 * Truth first, as for the bucket controls: a fact AWS answered "absent" fails; a fact that could not be read makes the
 * control `unknown` with the reason, never a pass. A region that is not enabled is not a failure: a multi-region
 * trail covers every region the account has enabled, and that is all these controls ask of it.
 */
import type { AlertingInput, Readable } from "../alerting/bucket-change-alerting";
import type { AdvancedEventSelector, EventSelector } from "../audit-trail/event-selector-types";
import type { LoggingSettings, Setting, VersioningSettings } from "../bucket-settings";

/**
 * "region-not-enabled": what the control needed lives in (or was asked of) a region the account has not enabled —
 * said so, counted neither as failing nor as passing.
 */
export type AccountControlStatus = "pass" | "fail" | "unknown" | "region-not-enabled";

export interface AccountControlVerdict {
  status: AccountControlStatus;
  reason: string;
  /** What the verdict read, so an auditor can re-check it by hand. */
  evidence: Record<string, unknown>;
}

/** A trail that covers the account: its own, or the organisation's (with the status its owner read). */
export interface PostureTrail {
  arn: string;
  name: string;
  homeRegion: string;
  ownerAccountId: string;
  isOrganizationTrail: boolean;
  isMultiRegion: boolean;
  logFileValidation: boolean;
  s3BucketName: string | null;
  kmsKeyId: string | null;
  logGroupArn: string | null;
  /** GetTrailStatus, as the trail's owner read it; for another account's trail never read there, the reason. */
  status: Readable<{ isLogging: boolean }>;
  eventSelectors: Readable<{ basic: EventSelector[]; advanced: AdvancedEventSelector[] }>;
}

/** A trail's log bucket as Custody last read it, wherever in the organisation it lives. */
export type TrailBucket =
  | { found: false; reason: string }
  | {
      found: true;
      name: string;
      accountId: string;
      logging: Setting<LoggingSettings>;
      versioning: Setting<VersioningSettings>;
      /** The bucket evaluation's effective exposure: public | not-public | unknown (read), and the same for write. */
      exposure: string;
      publicWrite: string;
    };

export interface AccountControlInput {
  accountId: string;
  /** Every trail DescribeTrails listed for the account, or why none could be read. */
  trails: Readable<PostureTrail[]>;
  /** Trail log buckets by name. */
  trailBuckets: Record<string, TrailBucket>;
  /** The bucket-change alerting chain's reads (the org trail's chain lives under its owner account). */
  alerting: AlertingInput;
}

export interface AccountControl<Id extends string = string> {
  id: Id;
  title: string;
  checks: string;
  why: string;
  fix: string;
  /** AWS Security Hub control id (the CSPM "AWS Foundational" / CIS standards), null when none exists. */
  securityHubControlId: string | null;
  /** CIS AWS Foundations Benchmark recommendation(s), by benchmark version. */
  cisIds: string[];
  evaluate(input: AccountControlInput): AccountControlVerdict;
}
