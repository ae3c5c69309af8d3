/**
 * The bucket-change alerting chain's three sources (CloudWatch Logs → CloudWatch → SNS) through the real sync
 * against the fixture AWS: each runs after the step whose stored rows name what it reads, and what they store
 * answers the chain analyzer as the fixture built it — complete for the organisation trail in the management
 * account, broken at the expected link for each member's own trail. A failed read is stored as {ok: false, reason}
 * for its own log group / region / topic only, never deleting the others' last good rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventSelector, AdvancedEventSelector } from "@/lib/domain/audit-trail/event-selector-types";
import { trailRecording } from "@/lib/domain/audit-trail/event-selectors";
import {
  analyzeBucketChangeAlerting,
  type AlertingAlarm,
  type AlertingMetricFilter,
  type AlertingTopic,
  type Readable,
} from "@/lib/domain/alerting/bucket-change-alerting";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { filterMetricsOf, loadMetricAlarms } from "@/lib/sources/cloudwatch/load";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { loadLogGroupMetricFilters } from "@/lib/sources/logs/load";
import { alertingFlawOf } from "@/lib/sources/fixture/alerting-flaws";
import { alertingChainOf, ALERTING_FLAWS, type AlertingFlaw } from "@/lib/sources/logs/fixture";
import type { AccountClients, AwsConnector } from "@/lib/sources/shared/connector";
import { syncAccount } from "@/lib/sync/sync-account";
import { evaluateAccountControlsFor } from "@/lib/evaluation/evaluate-account-controls";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

// Nine accounts: the management account and eight members, one per flaw.
const estate = generateFixtureEstate({
  seed: 7,
  accounts: 9,
  bucketsPerAccount: 2,
  regions: ["us-east-1", "eu-west-1"],
  scenario: "generic",
});
const management = estate.accounts.find((a) => a.accountId === estate.managementAccountId)!;
const withFlaw = (flaw: AlertingFlaw) => estate.accounts.find((a) => alertingFlawOf(estate, a.accountId) === flaw)!;

describe("the alerting chain sources", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let syncRunId: string;

  /** The analyzer's input for one account, from what the sources stored. */
  async function storedChain(accountId: string) {
    const trails = await db.prisma.trail.findMany({ where: { accountId, ownerAccountId: accountId } });
    const groups = await db.prisma.logGroupMetricFilters.findMany({ where: { accountId } });
    const alarmSets = await db.prisma.metricAlarmSet.findMany({ where: { accountId } });
    const topics = await db.prisma.snsTopic.findMany({ where: { accountId } });
    const alarmReads = alarmSets.map((s) => s.alarms as Readable<AlertingAlarm[]>);
    const unreadable = alarmReads.find((r) => !r.ok);
    return analyzeBucketChangeAlerting({
      trails: {
        ok: true,
        value: trails.map((t) => {
          const status = t.status as Readable<{ isLogging: boolean }> | null;
          const selectors = t.eventSelectors as Readable<{
            basic: EventSelector[];
            advanced: AdvancedEventSelector[];
          }> | null;
          return {
            name: t.name,
            isMultiRegion: t.isMultiRegion,
            isLogging: status?.ok === true && status.value.isLogging,
            recordsManagementWrites: selectors?.ok === true && trailRecording(selectors.value).managementWrites,
            logGroupArn: t.cloudWatchLogsLogGroupArn,
          };
        }),
      },
      metricFilters: Object.fromEntries(
        groups.map((g) => [g.logGroupArn, g.metricFilters as Readable<AlertingMetricFilter[]>]),
      ),
      alarms:
        unreadable && !unreadable.ok
          ? unreadable
          : { ok: true, value: alarmReads.flatMap((r) => (r.ok ? r.value : [])) },
      topics: Object.fromEntries(topics.map((t) => [t.topicArn, t.topic as Readable<AlertingTopic>])),
    });
  }

  beforeAll(async () => {
    db = await scratchDb("alerting_chain_sources");
    await ensureDefaultScheme(db.prisma);
    syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    for (const account of estate.accounts) await syncFixtureAccount(db.prisma, estate, account, syncRunId);
  }, 120_000);
  afterAll(async () => db.drop());

  it("gives every member one flaw (the fixture covers them all)", () => {
    const flaws = estate.accounts.map((a) => alertingFlawOf(estate, a.accountId));
    expect(new Set(flaws)).toEqual(new Set([null, ...ALERTING_FLAWS]));
    // A member without a trail of its own has no chain; every other account has one, flawed as it says.
    for (const a of estate.accounts) {
      const chain = alertingChainOf(estate, a.accountId);
      expect(chain ? chain.flaw : "no-trail").toBe(alertingFlawOf(estate, a.accountId));
    }
  });

  it("reads each account's own trail group (the organisation trail feeds none), and none for a member without a trail", async () => {
    const chain = alertingChainOf(estate, management.accountId)!;
    const rows = await db.prisma.logGroupMetricFilters.findMany({ where: { logGroupArn: chain.logGroupArn } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      accountId: management.accountId,
      region: chain.region,
      logGroupName: "security-alerts-trail",
      metricFilters: {
        ok: true,
        value: [
          {
            name: "S3BucketPolicyChanges",
            pattern: chain.filter.pattern,
            metrics: [{ name: "S3BucketPolicyChangeCount", namespace: "CISBenchmark" }],
          },
        ],
      },
    });
    for (const account of estate.accounts) {
      const own = await db.prisma.logGroupMetricFilters.findMany({ where: { accountId: account.accountId } });
      const chain = alertingChainOf(estate, account.accountId);
      expect(own.map((g) => g.logGroupArn)).toEqual(chain ? [chain.logGroupArn] : []);
    }
    const tasks = await db.prisma.syncTask.findMany({
      where: { syncRunId, accountId: management.accountId, collector: { in: ["logs", "cloudwatch", "sns"] } },
      orderBy: { startedAt: "asc" },
    });
    expect(tasks.map((t) => [t.collector, t.region, t.status, t.itemsRead])).toEqual([
      ["logs", "global", "succeeded", 1],
      ["cloudwatch", "global", "succeeded", 1],
      ["sns", "global", "succeeded", 1],
    ]);
  });

  it("keeps only the alarms on a filter metric, and reads the topics they notify", async () => {
    const chain = alertingChainOf(estate, management.accountId)!;
    const alarmSet = await db.prisma.metricAlarmSet.findUniqueOrThrow({
      where: { accountId_region: { accountId: management.accountId, region: chain.region } },
    });
    // The EC2 CPU alarm the fixture also has is not kept.
    expect(alarmSet.alarms).toEqual({
      ok: true,
      value: [
        {
          name: "S3BucketPolicyChanges",
          metricName: "S3BucketPolicyChangeCount",
          namespace: "CISBenchmark",
          actionsEnabled: true,
          alarmActions: [chain.topic!.arn],
        },
      ],
    });
    const topic = await db.prisma.snsTopic.findUniqueOrThrow({
      where: { accountId_topicArn: { accountId: management.accountId, topicArn: chain.topic!.arn } },
    });
    expect(topic).toMatchObject({
      region: chain.region,
      topic: {
        ok: true,
        value: {
          arn: chain.topic!.arn,
          subscriptionArns: [chain.topic!.subscriptions[0]!.arn],
          displayName: "Security alerts",
        },
      },
    });
  });

  it("stores what the analyzer needs to find each account's chain complete, or broken where the fixture broke it", async () => {
    expect(await storedChain(management.accountId)).toMatchObject({
      status: "pass",
      chain: { trail: "security-alerts", metricFilter: "S3BucketPolicyChanges", alarm: "S3BucketPolicyChanges" },
    });
    const expected: Record<AlertingFlaw, { status: string; brokenAt: string; reason: RegExp }> = {
      "no-alarm": { status: "fail", brokenAt: "alarm", reason: /no alarm on its metric/ },
      "pending-subscription": { status: "fail", brokenAt: "subscription", reason: /no confirmed subscription/ },
      "no-trail": { status: "fail", brokenAt: "trail", reason: /^no (CloudTrail trail|multi-region trail)/ },
      "partial-pattern": {
        status: "fail",
        brokenAt: "metric-filter",
        reason: /does not match PutBucketCors, DeleteBucketCors/,
      },
      "misspelled-event-source": { status: "fail", brokenAt: "metric-filter", reason: /does not match PutBucketAcl/ },
      "other-account-topic": { status: "unknown", brokenAt: "subscription", reason: /AuthorizationErrorException/ },
      "actions-disabled": { status: "fail", brokenAt: "alarm", reason: /actions disabled/ },
      "no-actions": { status: "fail", brokenAt: "alarm", reason: /notifies no SNS topic/ },
    };
    for (const flaw of ALERTING_FLAWS) {
      const verdict = await storedChain(withFlaw(flaw).accountId);
      expect(verdict, flaw).toMatchObject({ status: expected[flaw].status, brokenAt: expected[flaw].brokenAt });
      expect((verdict as { reason: string }).reason, flaw).toMatch(expected[flaw].reason);
    }
  });

  it("judges each account on its own chain: the organisation trail feeds no log group, so one complete chain does not pass them all", async () => {
    await evaluateAccountControlsFor(db.prisma);
    const verdict = async (accountId: string) =>
      db.prisma.accountControlResult.findUniqueOrThrow({
        where: { accountId_controlId: { accountId, controlId: "bucket-change-alerting" } },
      });
    expect(await verdict(management.accountId)).toMatchObject({ status: "pass" });
    expect(await verdict(withFlaw("no-alarm").accountId)).toMatchObject({
      status: "fail",
      reason: "metric filter S3BucketPolicyChanges, no alarm on its metric",
      evidence: { brokenAt: "alarm" },
    });
    expect(await verdict(withFlaw("pending-subscription").accountId)).toMatchObject({
      status: "fail",
      reason: expect.stringMatching(/no confirmed subscription/),
      evidence: { brokenAt: "subscription" },
    });
    const noTrail = withFlaw("no-trail").accountId;
    expect(await verdict(noTrail)).toMatchObject({
      status: "fail",
      reason: "no multi-region trail that is logging management write events to CloudWatch Logs",
      evidence: { brokenAt: "trail" },
    });
    // The organisation trail still records that account's calls: its audit trail passes, its alerting does not.
    expect(
      await db.prisma.accountControlResult.findUniqueOrThrow({
        where: { accountId_controlId: { accountId: noTrail, controlId: "trail-multi-region" } },
      }),
    ).toMatchObject({ status: "pass", reason: expect.stringContaining("organisation trail organization-trail") });
  });

  it("stores another account's topic as unknown with SNS's reason, without failing the account's read", async () => {
    const account = withFlaw("other-account-topic");
    const [topic] = await db.prisma.snsTopic.findMany({ where: { accountId: account.accountId } });
    expect(topic?.topicArn).toContain(`:${management.accountId}:`);
    expect(topic?.topic).toEqual({
      ok: false,
      reason: expect.stringMatching(/^AuthorizationErrorException: .*SNS:GetTopicAttributes/),
    });
    const task = await db.prisma.syncTask.findFirstOrThrow({
      where: { syncRunId, accountId: account.accountId, collector: "sns" },
    });
    expect(task.status).toBe("succeeded");
  });

  /** An error as the SDK throws it: its name is AWS's error code (only lib/sources may import the SDK). */
  const awsError = (name: string, httpStatusCode: number, message: string) =>
    Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode } });

  /** Syncs the account through the real sync, with one service's calls denied as AWS denies them. */
  async function syncDenying(accountId: string, service: string, error: Error) {
    const account = estate.accounts.find((a) => a.accountId === accountId)!;
    const inner = createFixtureConnector(estate);
    const connector: AwsConnector = {
      callCounts: () => inner.callCounts(),
      async connect(ref) {
        const clients = await inner.connect(ref);
        return {
          get: ((svc: { key: string }, region: string) =>
            svc.key === service
              ? { send: () => Promise.reject(error) }
              : clients.get(svc as never, region)) as AccountClients["get"],
        };
      },
    };
    return syncAccount(
      db.prisma,
      connector,
      { syncRunId, account: { id: accountId, roleArn: account.roleArn, externalId: account.externalId } },
      { homeRegion: account.homeRegion },
    );
  }

  it("AccessDenied on a log group's filters is stored as unknown with AWS's reason, keeping the alarms and topics read before", async () => {
    const accountId = withFlaw("pending-subscription").accountId;
    const chain = alertingChainOf(estate, accountId)!;
    const before = {
      alarms: await db.prisma.metricAlarmSet.findMany({ where: { accountId } }),
      topics: await db.prisma.snsTopic.findMany({ where: { accountId } }),
    };
    expect(before.alarms).toHaveLength(1);
    expect(before.topics).toHaveLength(1);

    const outcome = await syncDenying(
      accountId,
      "logs",
      awsError(
        "AccessDeniedException",
        400,
        `User: arn:aws:sts::${accountId}:assumed-role/CustodyReadOnly/custody is not authorized to perform: logs:DescribeMetricFilters`,
      ),
    );
    expect(outcome.status).toBe("partial");
    const group = await db.prisma.logGroupMetricFilters.findUniqueOrThrow({
      where: { accountId_logGroupArn: { accountId, logGroupArn: chain.logGroupArn } },
    });
    expect(group.metricFilters).toEqual({
      ok: false,
      reason: expect.stringMatching(/^AccessDeniedException: .*logs:DescribeMetricFilters$/),
    });
    // The unreadable group may still hold the metric the region's alarms watch: the last good alarms stay as read.
    expect(await db.prisma.metricAlarmSet.findMany({ where: { accountId } })).toEqual(before.alarms);
    expect((await db.prisma.snsTopic.findMany({ where: { accountId } })).map((t) => t.topic)).toEqual(
      before.topics.map((t) => t.topic),
    );
    expect(await storedChain(accountId)).toMatchObject({ status: "unknown", brokenAt: "metric-filter" });
  });

  it("AccessDenied on a region's alarms is stored as that region's unknown reason, keeping the topics read before", async () => {
    const accountId = withFlaw("pending-subscription").accountId;
    const chain = alertingChainOf(estate, accountId)!;
    await syncFixtureAccount(
      db.prisma,
      estate,
      estate.accounts.find((a) => a.accountId === accountId)!,
      syncRunId,
    );
    const topicsBefore = await db.prisma.snsTopic.findMany({ where: { accountId } });
    expect(topicsBefore.map((t) => t.topicArn)).toEqual([chain.topic!.arn]);

    const outcome = await syncDenying(
      accountId,
      "cloudwatch",
      awsError(
        "AccessDenied",
        403,
        `User: arn:aws:sts::${accountId}:assumed-role/CustodyReadOnly/custody is not authorized to perform: cloudwatch:DescribeAlarms`,
      ),
    );
    expect(outcome.status).toBe("partial");
    const set = await db.prisma.metricAlarmSet.findUniqueOrThrow({
      where: { accountId_region: { accountId, region: chain.region } },
    });
    expect(set.alarms).toEqual({
      ok: false,
      reason: expect.stringMatching(/^AccessDenied: .*cloudwatch:DescribeAlarms$/),
    });
    expect(await db.prisma.snsTopic.findMany({ where: { accountId } })).toEqual(topicsBefore);
    expect(await storedChain(accountId)).toMatchObject({ status: "unknown", brokenAt: "alarm" });

    // The next good sync replaces the unknowns with what AWS answers.
    await syncFixtureAccount(
      db.prisma,
      estate,
      estate.accounts.find((a) => a.accountId === accountId)!,
      syncRunId,
    );
    expect(await storedChain(accountId)).toMatchObject({ status: "fail", brokenAt: "subscription" });
  });

  it("a failed read replaces only its own group's or region's row; groups and regions no longer named are dropped", async () => {
    const accountId = withFlaw("no-actions").accountId;
    const readAt = new Date();
    const groupA = `arn:aws:logs:us-east-1:${accountId}:log-group:trail-a:*`;
    const groupB = `arn:aws:logs:eu-west-1:${accountId}:log-group:trail-b:*`;
    const filters = [
      { name: "f", pattern: "{ $.eventSource = s3.amazonaws.com }", metrics: [{ name: "m", namespace: "n" }] },
    ];
    const loadGroups = (groups: Parameters<typeof loadLogGroupMetricFilters>[1]["collection"]["groups"]) =>
      loadLogGroupMetricFilters(db.prisma, { syncRunId, accountId, readAt, collection: { error: null, groups } });
    await loadGroups([
      { arn: groupA, region: "us-east-1", name: "trail-a", metricFilters: { ok: true, value: filters } },
      { arn: groupB, region: "eu-west-1", name: "trail-b", metricFilters: { ok: true, value: filters } },
    ]);
    await loadGroups([
      {
        arn: groupA,
        region: "us-east-1",
        name: "trail-a",
        metricFilters: { ok: false, reason: "AccessDeniedException: denied" },
      },
      { arn: groupB, region: "eu-west-1", name: "trail-b", metricFilters: { ok: true, value: filters } },
    ]);
    const rows = await db.prisma.logGroupMetricFilters.findMany({ where: { accountId } });
    expect(Object.fromEntries(rows.map((r) => [r.logGroupArn, r.metricFilters]))).toEqual({
      [groupA]: { ok: false, reason: "AccessDeniedException: denied" },
      [groupB]: { ok: true, value: filters },
    });
    // Only the readable group's region is looked up, and nothing is deleted while a group is unreadable.
    expect(await filterMetricsOf(db.prisma, accountId)).toEqual({
      metrics: [{ region: "eu-west-1", name: "m", namespace: "n" }],
      allGroupsRead: false,
    });
    const loadRegions = (
      regions: Parameters<typeof loadMetricAlarms>[1]["collection"]["regions"],
      deleteUnread: boolean,
    ) =>
      loadMetricAlarms(db.prisma, { syncRunId, accountId, readAt, collection: { error: null, regions }, deleteUnread });
    await loadRegions(
      [
        { region: "us-east-1", alarms: { ok: true, value: [] } },
        { region: "eu-west-1", alarms: { ok: true, value: [] } },
      ],
      true,
    );
    await loadRegions([{ region: "eu-west-1", alarms: { ok: false, reason: "AccessDenied: denied" } }], false);
    const sets = await db.prisma.metricAlarmSet.findMany({ where: { accountId } });
    expect(Object.fromEntries(sets.map((s) => [s.region, s.alarms]))).toEqual({
      "us-east-1": { ok: true, value: [] },
      "eu-west-1": { ok: false, reason: "AccessDenied: denied" },
    });
    await loadRegions([{ region: "eu-west-1", alarms: { ok: true, value: [] } }], true);
    expect((await db.prisma.metricAlarmSet.findMany({ where: { accountId } })).map((s) => s.region)).toEqual([
      "eu-west-1",
    ]);

    // The real sync reads the groups the account's trails name now, and drops the rest.
    await syncFixtureAccount(
      db.prisma,
      estate,
      estate.accounts.find((a) => a.accountId === accountId)!,
      syncRunId,
    );
    const chain = alertingChainOf(estate, accountId)!;
    expect(
      (await db.prisma.logGroupMetricFilters.findMany({ where: { accountId } })).map((g) => g.logGroupArn),
    ).toEqual([chain.logGroupArn]);
    expect((await db.prisma.metricAlarmSet.findMany({ where: { accountId } })).map((s) => s.region)).toEqual([
      chain.region,
    ]);
    expect(await storedChain(accountId)).toMatchObject({ status: "fail", brokenAt: "alarm" });
  });

  it("says a region the account has not enabled is not enabled: its tasks are not failed, the sync not partial", async () => {
    const inner = createFixtureConnector(estate);
    // An opt-in region the account has not enabled: every service there refuses the caller's credentials.
    const connector: AwsConnector = {
      callCounts: () => inner.callCounts(),
      async connect(ref) {
        const clients = await inner.connect(ref);
        return {
          get: ((svc: { key: string }, region: string) =>
            region === "ap-east-1"
              ? {
                  send: () =>
                    Promise.reject(
                      awsError(
                        "UnrecognizedClientException",
                        400,
                        "The security token included in the request is invalid.",
                      ),
                    ),
                }
              : clients.get(svc as never, region)) as AccountClients["get"],
        };
      },
    };
    const outcome = await syncAccount(
      db.prisma,
      connector,
      {
        syncRunId,
        account: { id: management.accountId, roleArn: management.roleArn, externalId: management.externalId },
      },
      { homeRegion: management.homeRegion, regions: [management.homeRegion, "ap-east-1"] },
    );
    expect(outcome.status).toBe("succeeded");
    const tasks = await db.prisma.syncTask.findMany({
      where: { syncRunId, accountId: management.accountId, region: "ap-east-1" },
    });
    expect(tasks.map((t) => t.collector).sort()).toEqual(["config", "macie"]);
    for (const t of tasks) {
      expect(t, t.collector).toMatchObject({
        status: "region-not-enabled",
        errorCode: "RegionNotEnabled",
        errorMessage: expect.stringMatching(
          /^region ap-east-1 is not enabled in this account \(AWS answered UnrecognizedClientException: /,
        ),
      });
    }
  });
});
