/**
 * `npm run demo:change` end to end, as a new user sees it: the change is recorded for the demo's fixture AWS, its
 * CloudTrail events go to the local queue, the same consumer production runs re-reads the bucket, the bucket turns
 * public with who did it on its timeline, and the webhook alert fires; making it private again turns it back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { consumeRound } from "@/lib/events/consume-events";
import { demoChangesFrom, DemoChangeError, makeDemoChange } from "@/lib/events/demo-change";
import { localEventsQueue } from "@/lib/events/local-queue";
import { createSessionCache } from "@/lib/events/session-cache";
import { createFixtureDemoConnector } from "@/lib/sources/connector-factory";
import { demoFixtureWorld } from "@/lib/sources/fixture/demo-organisation";
import { DEMO_SPECIAL_BUCKETS } from "@/lib/sources/fixture/estate";
import type { PostureEvent } from "@/lib/sync/notifications/notification-diff";
import { syncAccount } from "@/lib/sync/sync-account";
import { scratchDb } from "../support/scratch-db";

const estate = demoFixtureWorld().linked;
const publicBucket = estate.allBuckets().find((b) => b.name === DEMO_SPECIAL_BUCKETS.publicRead)!;
const account = estate.accounts.find((a) => a.accountId === publicBucket.accountId)!;
const target = estate
  .bucketsOf(account.accountId)
  .find(
    (b) =>
      b.name !== publicBucket.name &&
      !(b.policy ?? []).some((s) => s.kind === "public-read") &&
      b.publicAccessBlock !== null &&
      Object.values(b.publicAccessBlock).every(Boolean),
  )!;

describe("npm run demo:change", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  const alerts: PostureEvent[] = [];
  // One connector and one session per account across rounds, as a running worker keeps them: a change made after
  // the account's session was opened must still be seen.
  let connector: ReturnType<typeof createFixtureDemoConnector>;
  let sessions: ReturnType<typeof createSessionCache>;
  const round = () =>
    consumeRound({
      db: db.prisma,
      queue: localEventsQueue(db.prisma),
      connector,
      sessions,
      databaseUrl: db.url,
      windowMs: 300,
      waitSeconds: 2,
      notify: async ({ events }) => {
        alerts.push(...events);
      },
    });

  beforeAll(async () => {
    db = await scratchDb("demo_change");
    connector = createFixtureDemoConnector({ demoChanges: demoChangesFrom(db.prisma) });
    sessions = createSessionCache(connector);
    await ensureDefaultScheme(db.prisma);
    await db.prisma.account.create({
      data: {
        id: account.accountId,
        name: account.name,
        ouPath: account.ouPath,
        roleArn: account.roleArn,
        externalId: account.externalId,
      },
    });
    const syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    await syncAccount(
      db.prisma,
      createFixtureDemoConnector({ demoChanges: demoChangesFrom(db.prisma) }),
      { syncRunId, account: { id: account.accountId, roleArn: account.roleArn, externalId: account.externalId } },
      { homeRegion: account.homeRegion },
    );
  });
  afterAll(async () => db.drop());

  it("makes a bucket public through the event path: re-read, public, who did it on its timeline, an alert", async () => {
    const sent = await makeDemoChange(db.prisma, { bucketName: target.name, kind: "make-public" });
    expect(sent).toMatchObject({ accountId: account.accountId, events: 2 });
    const summary = await round();
    expect(summary).toMatchObject({ received: 2, malformed: 0, refreshes: 1, deleted: 2 });
    const bucket = await db.prisma.bucket.findFirstOrThrow({ where: { name: target.name } });
    expect(bucket.exposure).toBe("public");
    const timeline = await db.prisma.bucketChangeEvent.findMany({ where: { bucketId: bucket.id } });
    expect(timeline.map((e) => e.eventName).sort()).toEqual(["DeleteBucketPublicAccessBlock", "PutBucketPolicy"]);
    expect(timeline.every((e) => e.actorArn?.endsWith("assumed-role/DemoConsoleAdmin/demo-change"))).toBe(true);
    expect(alerts).toEqual([
      expect.objectContaining({ kind: "newly-public", bucket: expect.objectContaining({ id: bucket.id }) }),
    ]);
    expect(await db.prisma.localEventMessage.count()).toBe(0);
  });

  it("makes it private again", async () => {
    await makeDemoChange(db.prisma, { bucketName: target.name, kind: "make-private" });
    expect((await round()).refreshes).toBe(1);
    expect((await db.prisma.bucket.findFirstOrThrow({ where: { name: target.name } })).exposure).not.toBe("public");
  });

  it("refuses a bucket the demo does not have, sending nothing", async () => {
    await expect(makeDemoChange(db.prisma, { bucketName: "no-such-bucket", kind: "make-public" })).rejects.toThrow(
      DemoChangeError,
    );
    expect(await db.prisma.localEventMessage.count()).toBe(0);
  });
});
