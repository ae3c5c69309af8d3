/**
 * CloudWatch Logs collector for one account: the metric filters on each log group a trail of this account delivers
 * to — the second link of the bucket-change alerting chain (CIS CloudWatch.8). One DescribeMetricFilters per group
 * (filtered by logGroupName, paged by nextToken), in the group's region (from its ARN).
 *
 * Only trails the account owns are read: an organisation trail's group lives in its owner's account, whose sync
 * reads it. A group that does not exist (ResourceNotFoundException) truthfully has no filter — ok with [] — since
 * a trail delivering to a deleted group alerts no one; any other failure is that group's unknown reason.
 */
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, type MetricFilter } from "@aws-sdk/client-cloudwatch-logs";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import { describeAwsError, settleIn } from "@/lib/sources/shared/aws-call-result";
import type { AccountClients, AwsService } from "@/lib/sources/shared/connector";

export const logsService: AwsService<CloudWatchLogsClient> = {
  key: "logs",
  create: (config) => new CloudWatchLogsClient(config),
};

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A metric filter as stored (lib/domain/alerting's AlertingMetricFilter). */
export interface MetricFilterRecord {
  name: string;
  pattern: string;
  metrics: { name: string; namespace: string }[];
}

export interface LogGroupRecord {
  /** The log group ARN exactly as the trail names it (often with a trailing ":*"): the analyzer's key. */
  arn: string;
  region: string;
  name: string;
  metricFilters: Read<MetricFilterRecord[]>;
}

export interface LogsCollection {
  groups: LogGroupRecord[];
  /** The first group that could not be read (its row still says why): the task fails, the account is partial. */
  error: { code: string; message: string } | null;
}

/** arn:aws:logs:<region>:<account>:log-group:<name>[:*] */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(?::\*)?$/;
const GROUP_CONCURRENCY = 4;

export function parseLogGroupArn(arn: string): { region: string; accountId: string; name: string } | null {
  const m = LOG_GROUP_ARN.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : null;
}

export function toMetricFilterRecord(filter: MetricFilter): MetricFilterRecord {
  return {
    name: filter.filterName ?? "",
    // An empty pattern matches every log event (AWS's own meaning of "").
    pattern: filter.filterPattern ?? "",
    metrics: (filter.metricTransformations ?? []).map((t) => ({
      name: t.metricName ?? "",
      namespace: t.metricNamespace ?? "",
    })),
  };
}

export async function collectLogGroupMetricFilters(
  clients: AccountClients,
  ctx: { accountId: string; logGroupArns: string[] },
): Promise<LogsCollection> {
  let error: LogsCollection["error"] = null;
  const groups = await mapWithConcurrency(
    [...new Set(ctx.logGroupArns)].sort(),
    GROUP_CONCURRENCY,
    async (arn): Promise<LogGroupRecord | null> => {
      const parsed = parseLogGroupArn(arn);
      if (!parsed) return null; // not a log group ARN: nothing AWS could be asked
      const client = clients.get(logsService, parsed.region);
      const filters: MetricFilterRecord[] = [];
      let nextToken: string | undefined;
      do {
        const page = await settleIn(
          parsed.region,
          client.send(new DescribeMetricFiltersCommand({ logGroupName: parsed.name, nextToken })),
        );
        if (!page.ok) {
          if (page.error.name === "ResourceNotFoundException") {
            return { arn, region: parsed.region, name: parsed.name, metricFilters: { ok: true, value: [] } };
          }
          error ??= { code: page.error.name, message: page.error.message };
          return {
            arn,
            region: parsed.region,
            name: parsed.name,
            metricFilters: { ok: false, reason: describeAwsError(page.error) },
          };
        }
        // logGroupName is the filter; a filter on another group is never counted.
        for (const f of page.output.metricFilters ?? []) {
          if (f.logGroupName === undefined || f.logGroupName === parsed.name) filters.push(toMetricFilterRecord(f));
        }
        nextToken = page.output.nextToken || undefined;
      } while (nextToken);
      return { arn, region: parsed.region, name: parsed.name, metricFilters: { ok: true, value: filters } };
    },
  );
  return { groups: groups.filter((g): g is LogGroupRecord => g !== null), error };
}
