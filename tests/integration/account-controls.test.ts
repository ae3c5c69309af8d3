/**
 * Account controls against real Postgres: the fixture organisation's management account (organisation trail),
 * log-archive account (the trail's bucket) and a member synced through the real sync; the alerting chain's rows
 * (log_group_metric_filters, metric_alarm_set, sns_topic) inserted here as their sources document them. Evaluation
 * writes a result per account and control, the organisation trail covers the member, a failed evaluation keeps the
 * last good results, and the trail's log bucket is classified High automatically until someone sets it by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_CONTROL_IDS } from "@/lib/domain/account-controls/catalog";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import {
  evaluateAccountControlsAfterSync,
  evaluateAccountControlsFor,
} from "@/lib/evaluation/evaluate-account-controls";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { organizationTrail } from "@/lib/sources/cloudtrail/fixture";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

const estate = generateFixtureEstate({
  seed: 11,
  accounts: 4,
  bucketsPerAccount: 2,
  regions: ["us-east-1", "eu-west-1"],
  scenario: "generic",
});
const [management, logArchive, member] = estate.accounts as [
  (typeof estate.accounts)[number],
  (typeof estate.accounts)[number],
  (typeof estate.accounts)[number],
];
const orgTrail = organizationTrail(estate).trail;
const region = orgTrail.HomeRegion;
// The fixture's organisation trail feeds no log group (its accounts alert per account); this one does, as a
// Control Tower organisation trail does: member events land in the management account's group.
const group = `arn:aws:logs:${region}:${management.accountId}:log-group:aws-cloudtrail-logs-organization:*`;
const topicArn = `arn:aws:sns:${region}:${management.accountId}:security-alerts`;
const pattern =
  "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
  "($.eventName = PutBucketCors) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors)) }";

describe("account controls", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let syncRunId: string;

  const results = async (accountId: string) =>
    Object.fromEntries(
      (await db.prisma.accountControlResult.findMany({ where: { accountId } })).map((r) => [r.controlId, r]),
    );

  async function writeChain(alarms: object[]) {
    const owner = management.accountId;
    const readAt = new Date();
    await db.prisma.$executeRaw`DELETE FROM log_group_metric_filters WHERE account_id = ${owner}`;
    await db.prisma.$executeRaw`DELETE FROM metric_alarm_set WHERE account_id = ${owner}`;
    await db.prisma.$executeRaw`DELETE FROM sns_topic WHERE account_id = ${owner}`;
    await db.prisma.logGroupMetricFilters.create({
      data: {
        accountId: owner,
        logGroupArn: group.replace(/:\*$/, ""),
        region,
        logGroupName: "aws-cloudtrail-logs-organization",
        metricFilters: {
          ok: true,
          value: [{ name: "s3-changes", pattern, metrics: [{ name: "S3BucketChanges", namespace: "CIS" }] }],
        },
        readAt,
        syncRunId,
      },
    });
    await db.prisma.metricAlarmSet.create({
      data: { accountId: owner, region, alarms: { ok: true, value: alarms }, readAt, syncRunId },
    });
    await db.prisma.snsTopic.create({
      data: {
        accountId: owner,
        topicArn,
        region,
        topic: { ok: true, value: { arn: topicArn, subscriptionArns: [`${topicArn}:1a2b3c`], displayName: null } },
        readAt,
        syncRunId,
      },
    });
  }
  const alarm = {
    name: "s3-changes-alarm",
    metricName: "S3BucketChanges",
    namespace: "CIS",
    actionsEnabled: true,
    alarmActions: [topicArn],
  };

  beforeAll(async () => {
    db = await scratchDb("account_controls");
    await ensureDefaultScheme(db.prisma);
    syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    // The member and the log archive sync before the management account, as they may in a real run.
    await syncFixtureAccount(db.prisma, estate, member, syncRunId);
    await syncFixtureAccount(db.prisma, estate, logArchive, syncRunId);
    await syncFixtureAccount(db.prisma, estate, management, syncRunId);
    // The fixture gives every account a trail (and chain) of its own; set them aside so what is judged here is
    // the organisation trail covering the member.
    await db.prisma.$executeRaw`UPDATE trail SET cloudwatch_logs_log_group_arn = ${group} WHERE is_organization_trail`;
    for (const id of [member.accountId, logArchive.accountId, management.accountId]) {
      await db.prisma.$executeRaw`DELETE FROM trail WHERE account_id = ${id} AND NOT is_organization_trail`;
      await db.prisma.$executeRaw`DELETE FROM log_group_metric_filters WHERE account_id = ${id}`;
      await db.prisma.$executeRaw`DELETE FROM metric_alarm_set WHERE account_id = ${id}`;
      await db.prisma.$executeRaw`DELETE FROM sns_topic WHERE account_id = ${id}`;
    }
    await writeChain([alarm]);
    await evaluateAccountControlsAfterSync(db.prisma, syncRunId, [
      member.accountId,
      logArchive.accountId,
      management.accountId,
    ]);
  });
  afterAll(async () => db.drop());

  it("writes one result per account and control, stamped with the run", async () => {
    for (const account of [management, logArchive, member]) {
      const rows = await results(account.accountId);
      expect(Object.keys(rows).sort()).toEqual([...ACCOUNT_CONTROL_IDS].sort());
      expect(rows["trail-multi-region"]!.syncRunId).toBe(syncRunId);
    }
  });

  it("lets the organisation trail, read by its owner, cover the member — chain included", async () => {
    const rows = await results(member.accountId);
    expect(rows["trail-multi-region"]).toMatchObject({ status: "pass" });
    expect(rows["trail-multi-region"]!.reason).toContain("organisation trail organization-trail");
    expect(rows["log-file-validation"]!.status).toBe("pass");
    expect(rows["trail-kms-encryption"]!.status).toBe("pass");
    expect(rows["bucket-change-alerting"]).toMatchObject({ status: "pass" });
    // The trail bucket lives in the log-archive account and was judged on its stored settings there.
    expect(rows["trail-bucket-access-logging"]!.reason).toContain(`account ${logArchive.accountId}`);
  });

  it("says where the chain breaks when the alarm goes, for the owner and its members alike", async () => {
    await writeChain([]);
    await evaluateAccountControlsFor(db.prisma, { accountIds: [management.accountId, member.accountId] });
    for (const account of [management, member]) {
      expect((await results(account.accountId))["bucket-change-alerting"]).toMatchObject({
        status: "fail",
        reason: "metric filter s3-changes, no alarm on its metric",
        evidence: { brokenAt: "alarm" },
      });
    }
    await writeChain([alarm]);
  });

  it("keeps the last good results when an evaluation fails", async () => {
    await evaluateAccountControlsFor(db.prisma, { accountIds: [member.accountId] });
    const before = await results(member.accountId);
    await db.prisma.$executeRawUnsafe(`ALTER TABLE sns_topic RENAME TO sns_topic_away`);
    try {
      await expect(evaluateAccountControlsFor(db.prisma, { accountIds: [member.accountId] })).rejects.toThrow();
      // The after-sync step logs and carries on: the run is finished either way.
      await evaluateAccountControlsAfterSync(db.prisma, syncRunId, [member.accountId]);
    } finally {
      await db.prisma.$executeRawUnsafe(`ALTER TABLE sns_topic_away RENAME TO sns_topic`);
    }
    expect(await results(member.accountId)).toEqual(before);
  });

  it("classifies the trail's log bucket High (CloudTrail log bucket) until it is set by hand", async () => {
    const bucket = await db.prisma.bucket.findFirstOrThrow({ where: { name: orgTrail.S3BucketName! } });
    expect(bucket).toMatchObject({ accountId: logArchive.accountId, levelKey: "high", levelSource: "cloudtrail" });

    const user = await db.prisma.user.create({
      data: { email: "lead@posture.test", name: "Lead", role: "security_lead", passwordHash: "unused" },
    });
    await db.prisma.bucketClassification.create({
      data: { bucketId: bucket.id, levelKey: "medium", reason: "copies only", setById: user.id },
    });
    await evaluateBuckets(db.prisma, { id: bucket.id });
    expect(await db.prisma.bucket.findUniqueOrThrow({ where: { id: bucket.id } })).toMatchObject({
      levelKey: "medium",
      levelSource: "manual",
    });

    // Another bucket that no trail names keeps its own provenance; when a trail starts naming it, the run's end
    // re-levels it.
    const other = await db.prisma.bucket.findFirstOrThrow({
      where: { accountId: member.accountId, NOT: { levelSource: "cloudtrail" } },
    });
    await db.prisma.trail.update({
      where: { accountId_arn: { accountId: member.accountId, arn: orgTrail.TrailARN } },
      data: { s3BucketName: other.name },
    });
    await evaluateAccountControlsAfterSync(db.prisma, syncRunId, [member.accountId]);
    expect(await db.prisma.bucket.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({
      levelKey: "high",
      levelSource: "cloudtrail",
    });
  });
});
