/**
 * The CloudTrail source through the real sync against the fixture AWS: the management account stores the
 * organisation trail with its status and selectors, a member stores that it is covered by it (status not read:
 * the trail is its owner's), a member's own trails (the stopped leftover, the security-alerts trail that feeds its
 * alerting chain) are stored as read, and a failed read keeps the last good
 * trails while a successful one replaces them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { leftoverTrail, organizationTrail, securityAlertsTrail } from "@/lib/sources/cloudtrail/fixture";
import { loadCloudTrailAccount } from "@/lib/sources/cloudtrail/load";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

const estate = generateFixtureEstate({
  seed: 7,
  accounts: 8,
  bucketsPerAccount: 2,
  regions: ["us-east-1", "eu-west-1"],
  scenario: "generic",
});
const management = estate.accounts.find((a) => a.accountId === estate.managementAccountId)!;
// A member with both trails of its own (a member whose alerting flaw is "no-trail" has no security-alerts trail).
const withLeftover = estate.accounts.find(
  (a) =>
    leftoverTrail(estate, a.accountId, a.homeRegion) !== null &&
    securityAlertsTrail(estate, a.accountId, a.homeRegion) !== null,
)!;
const orgTrailArn = organizationTrail(estate).trail.TrailARN;

describe("the CloudTrail source", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let syncRunId: string;

  const sync = (account: (typeof estate.accounts)[number]) => syncFixtureAccount(db.prisma, estate, account, syncRunId);

  beforeAll(async () => {
    db = await scratchDb("cloudtrail_source");
    await ensureDefaultScheme(db.prisma);
    syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    await sync(management);
    await sync(withLeftover);
  });
  afterAll(async () => db.drop());

  it("stores the organisation trail with its status and selectors in the management account", async () => {
    const trail = await db.prisma.trail.findUniqueOrThrow({
      where: { accountId_arn: { accountId: management.accountId, arn: orgTrailArn } },
    });
    expect(trail).toMatchObject({
      ownerAccountId: management.accountId,
      isOrganizationTrail: true,
      isMultiRegion: true,
      logFileValidation: true,
      status: { ok: true, value: { isLogging: true } },
    });
    expect(trail.eventSelectors).toMatchObject({ ok: true, value: { basic: [{ ReadWriteType: "All" }] } });
    const task = await db.prisma.syncTask.findFirstOrThrow({
      where: { syncRunId, accountId: management.accountId, collector: "cloudtrail" },
    });
    // The organisation trail and the management account's own alerting trail.
    expect(task).toMatchObject({ region: "global", status: "succeeded", itemsRead: 2 });
  });

  it("stores in a member that the organisation trail covers it, without reading its status, and its own trails as read", async () => {
    const rows = await db.prisma.trail.findMany({
      where: { accountId: withLeftover.accountId },
      orderBy: { name: "asc" },
    });
    expect(rows.map((r) => [r.name, r.ownerAccountId, r.status === null])).toEqual([
      ["legacy-audit", withLeftover.accountId, false],
      ["organization-trail", management.accountId, true],
      ["security-alerts", withLeftover.accountId, false],
    ]);
    expect(rows[0]).toMatchObject({
      isMultiRegion: false,
      logFileValidation: false,
      status: { ok: true, value: { isLogging: false } },
    });
  });

  it("keeps the last good trails when a read fails, and replaces them when one succeeds", async () => {
    const readAt = new Date();
    await loadCloudTrailAccount(db.prisma, {
      syncRunId,
      accountId: withLeftover.accountId,
      readAt,
      collection: { trails: [], error: { code: "AccessDeniedException", message: "denied" } },
    });
    expect(await db.prisma.trail.count({ where: { accountId: withLeftover.accountId } })).toBe(3);

    const orgOnly = (
      await db.prisma.trail.findMany({ where: { accountId: withLeftover.accountId, arn: orgTrailArn } })
    )[0]!;
    await loadCloudTrailAccount(db.prisma, {
      syncRunId,
      accountId: withLeftover.accountId,
      readAt,
      collection: {
        error: null,
        trails: [
          {
            arn: orgOnly.arn,
            name: orgOnly.name,
            homeRegion: orgOnly.homeRegion,
            ownerAccountId: orgOnly.ownerAccountId,
            isOrganizationTrail: true,
            isMultiRegion: true,
            includeGlobalServiceEvents: true,
            logFileValidation: true,
            s3BucketName: orgOnly.s3BucketName,
            s3KeyPrefix: null,
            kmsKeyId: null,
            cloudWatchLogsLogGroupArn: null,
            snsTopicArn: null,
            status: null,
            eventSelectors: null,
          },
        ],
      },
    });
    const left = await db.prisma.trail.findMany({ where: { accountId: withLeftover.accountId } });
    expect(left.map((t) => t.name)).toEqual(["organization-trail"]);
    expect(left[0]?.readAt.getTime()).toBe(readAt.getTime());
  });
});
