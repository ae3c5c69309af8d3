/**
 * CloudWatch collector for one account: per region where the account's trail log groups have metric filters, the
 * metric alarms that watch one of those filters' metrics — the third link of the bucket-change alerting chain.
 *
 * DescribeAlarms (AlarmTypes MetricAlarm, 100 a page), not DescribeAlarmsForMetric: one listing per region answers
 * for every filter metric at once (CIS setups put a dozen filters on one group: DescribeAlarmsForMetric would be a
 * call per metric, per dimension set), and it also returns metric-math alarms, which DescribeAlarmsForMetric
 * never does. A region with fewer than 100 alarms costs one call.
 *
 * An alarm is kept when the metric it evaluates is a filter metric (same name and namespace): a plain alarm by its
 * MetricName/Namespace; a metric-math alarm (Metrics[]) only when the query it returns (ReturnData) is a MetricStat
 * of that metric — an alarm on an expression over it may not fire on a single change, so it is not counted.
 * A listing that fails on any page is that region's unknown reason (a partial list would claim "no alarm").
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { describeAwsError, settleIn } from "@/lib/sources/shared/aws-call-result";
import type { AccountClients, AwsService } from "@/lib/sources/shared/connector";

export const cloudwatchService: AwsService<CloudWatchClient> = {
  key: "cloudwatch",
  create: (config) => new CloudWatchClient(config),
};

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** An alarm as stored (lib/domain/alerting's AlertingAlarm). */
export interface AlarmRecord {
  name: string;
  metricName: string | null;
  namespace: string | null;
  actionsEnabled: boolean;
  alarmActions: string[];
}

export interface FilterMetric {
  region: string;
  name: string;
  namespace: string;
}

export interface AlarmRegionRecord {
  region: string;
  alarms: Read<AlarmRecord[]>;
}

export interface CloudWatchCollection {
  regions: AlarmRegionRecord[];
  error: { code: string; message: string } | null;
}

/** The metric an alarm evaluates, when it is one metric as such (see the header). */
export function evaluatedMetric(alarm: MetricAlarm): { name: string; namespace: string } | null {
  if (alarm.MetricName && alarm.Namespace) return { name: alarm.MetricName, namespace: alarm.Namespace };
  const queries = alarm.Metrics ?? [];
  const returned = queries.length === 1 ? queries[0] : queries.find((q) => q.ReturnData === true);
  const metric = returned?.MetricStat?.Metric;
  return metric?.MetricName && metric.Namespace ? { name: metric.MetricName, namespace: metric.Namespace } : null;
}

export async function collectFilterMetricAlarms(
  clients: AccountClients,
  ctx: { accountId: string; metrics: FilterMetric[] },
): Promise<CloudWatchCollection> {
  const byRegion = new Map<string, Set<string>>();
  for (const m of ctx.metrics) {
    byRegion.set(m.region, (byRegion.get(m.region) ?? new Set()).add(`${m.namespace}\u0000${m.name}`));
  }
  let error: CloudWatchCollection["error"] = null;
  const regions = await Promise.all(
    [...byRegion.keys()].sort().map(async (region): Promise<AlarmRegionRecord> => {
      const wanted = byRegion.get(region)!;
      const client = clients.get(cloudwatchService, region);
      const alarms: AlarmRecord[] = [];
      let nextToken: string | undefined;
      do {
        const page = await settleIn(
          region,
          client.send(
            new DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], MaxRecords: 100, NextToken: nextToken }),
          ),
        );
        if (!page.ok) {
          error ??= { code: page.error.name, message: page.error.message };
          return { region, alarms: { ok: false, reason: describeAwsError(page.error) } };
        }
        for (const alarm of page.output.MetricAlarms ?? []) {
          const metric = evaluatedMetric(alarm);
          if (!metric || !wanted.has(`${metric.namespace}\u0000${metric.name}`)) continue;
          alarms.push({
            name: alarm.AlarmName ?? "",
            metricName: metric.name,
            namespace: metric.namespace,
            // AWS's default when unset is true.
            actionsEnabled: alarm.ActionsEnabled !== false,
            alarmActions: alarm.AlarmActions ?? [],
          });
        }
        nextToken = page.output.NextToken || undefined;
      } while (nextToken);
      return { region, alarms: { ok: true, value: alarms } };
    }),
  );
  return { regions, error };
}
