/**
 * The fixture AWS's CloudWatch Logs — and the bucket-change alerting chains the CloudWatch and SNS fixtures share,
 * derived from the estate's trails (lib/sources/cloudtrail/fixture.ts):
 *   - the management account's own "security-alerts" trail group has the complete chain: a CIS-style metric filter
 *     on all bucket-change events → an alarm on its metric → a topic with a confirmed e-mail subscription (the
 *     organisation trail feeds no log group: lib/sources/cloudtrail/fixture.ts says why);
 *   - each member account's own "security-alerts" trail group has a chain with one flaw, ALERTING_FLAWS in turn by
 *     the member's place in the estate (so an estate of nine accounts shows every flaw once); a "no-trail" member
 *     has no trail of its own, hence no chain.
 * Every account also has an unrelated EC2 CPU alarm, which the CloudWatch source must not keep.
 */
import {
  CloudWatchLogsServiceException,
  type DescribeMetricFiltersResponse,
  type MetricFilter,
} from "@aws-sdk/client-cloudwatch-logs";
import { securityAlertsTrail } from "@/lib/sources/cloudtrail/fixture";
import { alertingFlawOf, type AlertingFlaw } from "@/lib/sources/fixture/alerting-flaws";
import { FIXTURE_REFERENCE_DATE } from "@/lib/sources/fixture/bucket-traits";
import type { FixtureEstate } from "@/lib/sources/fixture/estate";
import { stableUuid } from "@/lib/sources/fixture/random";
import {
  DAY,
  decodeToken,
  encodeToken,
  fixtureServiceError,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";
import { parseLogGroupArn } from "./collect";

const logsError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(CloudWatchLogsServiceException, name, httpStatusCode, message);

export const logsFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) => answerLogs(world, region, operation, input),
  throttlingError: () => logsError("ThrottlingException", 400, "Rate exceeded"),
};

export { ALERTING_FLAWS, type AlertingFlaw } from "@/lib/sources/fixture/alerting-flaws";

export interface FixtureAlertingChain {
  accountId: string;
  region: string;
  /** null: the complete chain. */
  flaw: AlertingFlaw | null;
  logGroupArn: string;
  logGroupName: string;
  filter: { name: string; pattern: string; metricName: string; namespace: string };
  alarm: { name: string; metricName: string; namespace: string; actionsEnabled: boolean; actions: string[] } | null;
  /** The account's own topic, with its subscriptions ("PendingConfirmation" until confirmed). */
  topic: { arn: string; displayName: string; subscriptions: { arn: string; endpoint: string }[] } | null;
}

const CIS_PATTERN =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
  "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || " +
  "($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || " +
  "($.eventName = DeleteBucketReplication)) }";
const PARTIAL_PATTERN =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
  "($.eventName = DeleteBucketPolicy)) }";
const MISSPELLED_PATTERN = CIS_PATTERN.replace("s3.amazonaws.com", "s3.amazonaw.com");

/** The account's alerting chain, if it owns a trail that delivers to CloudWatch Logs. */
export function alertingChainOf(estate: FixtureEstate, accountId: string): FixtureAlertingChain | null {
  const account = estate.accounts.find((a) => a.accountId === accountId);
  if (!account) return null;
  const management = estate.managementAccountId;
  const trail = securityAlertsTrail(estate, accountId, account.homeRegion)?.trail;
  const group = trail?.CloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.CloudWatchLogsLogGroupArn) : null;
  if (!trail?.CloudWatchLogsLogGroupArn || !group) return null;
  const flaw = alertingFlawOf(estate, accountId) ?? null;
  const region = group.region;
  const metricName = "S3BucketPolicyChangeCount";
  const namespace = "CISBenchmark";
  const ownTopic = `arn:aws:sns:${region}:${accountId}:security-alerts`;
  const subscription = (n: number) => `${ownTopic}:${stableUuid("sns-subscription", accountId, n)}`;
  return {
    accountId,
    region,
    flaw,
    logGroupArn: trail.CloudWatchLogsLogGroupArn,
    logGroupName: group.name,
    filter: {
      name: "S3BucketPolicyChanges",
      pattern:
        flaw === "partial-pattern"
          ? PARTIAL_PATTERN
          : flaw === "misspelled-event-source"
            ? MISSPELLED_PATTERN
            : CIS_PATTERN,
      metricName,
      namespace,
    },
    alarm:
      flaw === "no-alarm"
        ? null
        : {
            name: "S3BucketPolicyChanges",
            metricName,
            namespace,
            actionsEnabled: flaw !== "actions-disabled",
            actions:
              flaw === "no-actions"
                ? []
                : [
                    flaw === "other-account-topic"
                      ? `arn:aws:sns:${region}:${management}:org-security-alerts`
                      : ownTopic,
                  ],
          },
    topic:
      flaw === "other-account-topic"
        ? null
        : {
            arn: ownTopic,
            displayName: "Security alerts",
            subscriptions:
              flaw === "pending-subscription"
                ? [{ arn: "PendingConfirmation", endpoint: `security+${accountId}@acme.example` }]
                : [{ arn: subscription(1), endpoint: `security+${accountId}@acme.example` }],
          },
  };
}

const PAGE_SIZE = 50;

export function answerLogs(
  world: FixtureAccountWorld,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  switch (operation) {
    case "DescribeMetricFilters": {
      const chain = alertingChainOf(world.estate, world.account.accountId);
      const groups = chain && chain.region === region ? [chain] : [];
      const name = input.logGroupName;
      if (typeof name === "string" && !groups.some((g) => g.logGroupName === name)) {
        throw logsError("ResourceNotFoundException", 400, "The specified log group does not exist.");
      }
      const filters: MetricFilter[] = groups
        .filter((g) => name === undefined || g.logGroupName === name)
        .map((g) => ({
          filterName: g.filter.name,
          filterPattern: g.filter.pattern,
          metricTransformations: [
            { metricName: g.filter.metricName, metricNamespace: g.filter.namespace, metricValue: "1" },
          ],
          creationTime: FIXTURE_REFERENCE_DATE - 250 * DAY,
          logGroupName: g.logGroupName,
        }));
      const offset = decodeToken(input.nextToken as string | undefined, (m) =>
        logsError("InvalidParameterException", 400, m),
      );
      const next = offset + PAGE_SIZE;
      return {
        metricFilters: filters.slice(offset, next),
        ...(next < filters.length ? { nextToken: encodeToken(next) } : {}),
      } satisfies DescribeMetricFiltersResponse;
    }
    default:
      throw new UnsupportedFixtureOperationError("logs", operation);
  }
}
