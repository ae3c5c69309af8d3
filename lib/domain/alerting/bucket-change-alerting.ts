/**
 * Would anyone be told within minutes if a bucket policy or ACL changed? (CIS AWS Foundations 4.8 / Security Hub
 * CloudWatch.8.) The chain has four links, and a chain is only as good as its weakest:
 *
 *   a multi-region trail that is logging, with management write events, delivering to a CloudWatch Logs group
 *   → a metric filter on that group whose pattern matches every bucket-change event (parsed, not string-compared)
 *   → an alarm on the filter's metric (same name and namespace) with actions enabled and an SNS topic among them
 *   → a topic with at least one confirmed subscription.
 *
 * The answer names where a broken chain breaks ("metric filter, no alarm", "the alarm's topic has no confirmed
 * subscription"), and says `unknown` — never `pass` — when a link could not be read.
 */
import { parseFilterPattern, patternMatches, type KnownEventFields } from "./metric-filter-pattern";

/**
 * The bucket-change calls the chain must count: the five that change who can reach a bucket's data. CIS's example
 * pattern also lists the lifecycle and replication calls; they change no exposure, so a filter without them still
 * answers "would anyone notice the bucket being opened".
 */
export const BUCKET_CHANGE_EVENTS = [
  "PutBucketAcl",
  "PutBucketPolicy",
  "PutBucketCors",
  "DeleteBucketPolicy",
  "DeleteBucketCors",
] as const;

/** What a CloudTrail record of such a call is known to hold, whoever made it and from wherever. */
export function bucketChangeEvent(eventName: string): KnownEventFields {
  return {
    eventSource: "s3.amazonaws.com",
    eventName,
    eventType: "AwsApiCall",
    readOnly: false,
    managementEvent: true,
    eventCategory: "Management",
  };
}

/** A fact read from AWS, or why it could not be read. */
export type Readable<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface AlertingTrail {
  name: string;
  isMultiRegion: boolean;
  isLogging: boolean;
  /** Does the trail record management write events (basic selectors ReadWriteType All/WriteOnly, or advanced)? */
  recordsManagementWrites: boolean;
  /** The CloudWatch Logs group ARN the trail delivers to, or null. */
  logGroupArn: string | null;
}

export interface AlertingMetricFilter {
  name: string;
  pattern: string;
  metrics: { name: string; namespace: string }[];
}

export interface AlertingAlarm {
  name: string;
  metricName: string | null;
  namespace: string | null;
  actionsEnabled: boolean;
  /** ARNs of the alarm's actions (only SNS topics count as telling a person). */
  alarmActions: string[];
}

export interface AlertingTopic {
  arn: string;
  /** Subscription ARNs; "PendingConfirmation" (and "Deleted") are not confirmed. */
  subscriptionArns: string[];
}

export interface AlertingInput {
  trails: Readable<AlertingTrail[]>;
  /** Metric filters per log-group ARN, for the trails' groups. */
  metricFilters: Record<string, Readable<AlertingMetricFilter[]>>;
  alarms: Readable<AlertingAlarm[]>;
  /** Topics by ARN, for the alarms' SNS actions. */
  topics: Record<string, Readable<AlertingTopic>>;
}

export type ChainLink = "trail" | "metric-filter" | "alarm" | "subscription";

export type AlertingVerdict =
  | { status: "pass"; chain: { trail: string; metricFilter: string; alarm: string; topic: string } }
  | { status: "fail"; brokenAt: ChainLink; reason: string; partial: string[] }
  | { status: "unknown"; brokenAt: ChainLink; reason: string; partial: string[] };

export interface FilterCoverage {
  covered: string[];
  missing: string[];
  /** Set when the pattern could not be read: then nothing is claimed. */
  notUnderstood?: string;
}

/** Which of the bucket-change events does this pattern count for every such event? */
export function filterCoverage(pattern: string): FilterCoverage {
  const parsed = parseFilterPattern(pattern);
  if (!parsed.ok) return { covered: [], missing: [...BUCKET_CHANGE_EVENTS], notUnderstood: parsed.reason };
  const covered: string[] = [];
  const missing: string[] = [];
  for (const event of BUCKET_CHANGE_EVENTS) {
    (patternMatches(parsed.pattern, bucketChangeEvent(event)) === true ? covered : missing).push(event);
  }
  return { covered, missing };
}

const isTopicArn = (arn: string) => /^arn:[^:]+:sns:/.test(arn);
const confirmed = (subscriptionArn: string) => subscriptionArn.startsWith("arn:");

/** Follows the chain and says whether it is complete, or where and why it breaks. */
export function analyzeBucketChangeAlerting(input: AlertingInput): AlertingVerdict {
  const unknown = (brokenAt: ChainLink, reason: string, partial: string[]): BrokenChain => ({
    status: "unknown",
    brokenAt,
    reason,
    partial,
  });
  const fail = (brokenAt: ChainLink, reason: string, partial: string[]): BrokenChain => ({
    status: "fail",
    brokenAt,
    reason,
    partial,
  });

  if (!input.trails.ok) return unknown("trail", `trails could not be read: ${input.trails.reason}`, []);
  const feeding = input.trails.value.filter(
    (t) => t.isMultiRegion && t.isLogging && t.recordsManagementWrites && t.logGroupArn,
  );
  if (feeding.length === 0) {
    return fail(
      "trail",
      input.trails.value.length === 0
        ? "no CloudTrail trail"
        : "no multi-region trail that is logging management write events to CloudWatch Logs",
      [],
    );
  }

  // Every partial chain, to name where the furthest one breaks when no chain is complete.
  const broken: BrokenChain[] = [];
  const keep = (verdict: BrokenChain) => broken.push(verdict);

  for (const trail of feeding) {
    const groupArn = trail.logGroupArn as string;
    const filters = input.metricFilters[groupArn];
    const trailStep = `trail ${trail.name}`;
    if (!filters || !filters.ok) {
      keep(
        unknown(
          "metric-filter",
          `metric filters of ${groupArn} could not be read: ${filters?.ok === false ? filters.reason : "not read"}`,
          [trailStep],
        ),
      );
      continue;
    }
    const complete = filters.value.filter((f) => filterCoverage(f.pattern).missing.length === 0);
    if (complete.length === 0) {
      const closest = filters.value
        .map((f) => ({ f, c: filterCoverage(f.pattern) }))
        .sort((a, b) => b.c.covered.length - a.c.covered.length)[0];
      keep(
        fail(
          "metric-filter",
          !closest
            ? `trail ${trail.name}'s log group has no metric filter`
            : closest.c.notUnderstood
              ? `metric filter ${closest.f.name}'s pattern is not understood (${closest.c.notUnderstood})`
              : `metric filter ${closest.f.name} does not match ${closest.c.missing.join(", ")}`,
          [trailStep],
        ),
      );
      continue;
    }
    for (const filter of complete) {
      const filterStep = `metric filter ${filter.name}`;
      if (!input.alarms.ok) {
        keep(unknown("alarm", `alarms could not be read: ${input.alarms.reason}`, [trailStep, filterStep]));
        continue;
      }
      const alarms = input.alarms.value.filter((a) =>
        filter.metrics.some((m) => m.name === a.metricName && m.namespace === a.namespace),
      );
      if (alarms.length === 0) {
        keep(fail("alarm", `metric filter ${filter.name}, no alarm on its metric`, [trailStep, filterStep]));
        continue;
      }
      for (const alarm of alarms) {
        const alarmStep = `alarm ${alarm.name}`;
        const topicArns = alarm.alarmActions.filter(isTopicArn);
        if (!alarm.actionsEnabled || topicArns.length === 0) {
          keep(
            fail(
              "alarm",
              alarm.actionsEnabled
                ? `alarm ${alarm.name} notifies no SNS topic`
                : `alarm ${alarm.name} has its actions disabled`,
              [trailStep, filterStep, alarmStep],
            ),
          );
          continue;
        }
        for (const topicArn of topicArns) {
          const topic = input.topics[topicArn];
          if (!topic || !topic.ok) {
            keep(
              unknown(
                "subscription",
                `topic ${topicArn} could not be read: ${topic?.ok === false ? topic.reason : "not read"}`,
                [trailStep, filterStep, alarmStep],
              ),
            );
            continue;
          }
          if (topic.value.subscriptionArns.some(confirmed)) {
            return {
              status: "pass",
              chain: { trail: trail.name, metricFilter: filter.name, alarm: alarm.name, topic: topicArn },
            };
          }
          keep(
            fail("subscription", `alarm ${alarm.name}'s topic has no confirmed subscription`, [
              trailStep,
              filterStep,
              alarmStep,
            ]),
          );
        }
      }
    }
  }
  return furthest(broken);
}

type BrokenChain = Exclude<AlertingVerdict, { status: "pass" }>;
const LINK_ORDER: Record<ChainLink, number> = { trail: 0, "metric-filter": 1, alarm: 2, subscription: 3 };

/** The chain that got furthest; at the same link an unreadable one (unknown) wins, as it might be complete. */
function furthest(broken: BrokenChain[]): BrokenChain {
  return broken.reduce((best, v) =>
    LINK_ORDER[v.brokenAt] > LINK_ORDER[best.brokenAt] ||
    (LINK_ORDER[v.brokenAt] === LINK_ORDER[best.brokenAt] && v.status === "unknown" && best.status === "fail")
      ? v
      : best,
  );
}
