/**
 * A bucket-change event carried out against the fixture AWS through the real load and evaluation: the bucket is
 * re-read (only it), the new state and its diff are stored, the verdict is re-evaluated, and the event is recorded
 * with who / when / from where and the verdict before and after. Duplicates, unlinked accounts, a running sync and
 * a deleted bucket each behave as the consumer relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseChangeEvent, planRefreshes, type ChangeEvent } from "@/lib/domain/events/bucket-change-event";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { refreshFromEvents } from "@/lib/events/refresh-from-events";
import { createSessionCache } from "@/lib/events/session-cache";
import type { AccountClients, AwsConnector } from "@/lib/sources/shared/connector";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { acquireSyncLocks } from "@/lib/sync/jobs/concurrency-locks";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
// The account of the demo's public bucket has no account-wide Block Public Access, so a bucket there can be made public.
const account = estate.accounts.find(
  (a) => a.accountId === estate.allBuckets().find((b) => b.name === DEMO_SPECIAL_BUCKETS.publicRead)!.accountId,
)!;
const buckets = estate.bucketsOf(account.accountId);
// A private bucket without public exposure in any form, to be made public by "someone".
const target = buckets.find(
  (b) =>
    b.name !== DEMO_SPECIAL_BUCKETS.publicRead &&
    !(b.policy ?? []).some((s) => s.kind === "public-read") &&
    b.publicAccessBlock !== null &&
    Object.values(b.publicAccessBlock).every(Boolean),
)!;

let n = 0;
function event(
  bucketName: string,
  over: { eventName?: string; accountId?: string; errorCode?: string } = {},
): ChangeEvent {
  n += 1;
  const parsed = parseChangeEvent({
    id: `ev-${n}`,
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.s3",
    account: over.accountId ?? account.accountId,
    region: target.region,
    detail: {
      eventSource: "s3.amazonaws.com",
      eventName: over.eventName ?? "PutBucketPolicy",
      eventTime: new Date(Date.UTC(2026, 11, 2, 9, 0, n)).toISOString(),
      eventID: `cloudtrail-${n}`,
      awsRegion: target.region,
      recipientAccountId: over.accountId ?? account.accountId,
      sourceIPAddress: "203.0.113.7",
      userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::${account.accountId}:assumed-role/Admin/alice` },
      requestParameters: { bucketName },
      ...(over.errorCode ? { errorCode: over.errorCode } : {}),
    },
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
}

describe("refresh from bucket-change events", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  const deps = () => ({ connector: createFixtureConnector(estate), databaseUrl: db.url });

  beforeAll(async () => {
    db = await scratchDb("event_refresh");
    await ensureDefaultScheme(db.prisma);
    const syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    await syncFixtureAccount(db.prisma, estate, account, syncRunId);
  });
  afterAll(async () => db.drop());

  it("re-reads only the bucket, stores the change, re-evaluates it and records who made it public", async () => {
    const bucket = await db.prisma.bucket.findFirstOrThrow({ where: { name: target.name } });
    expect(bucket.exposure).not.toBe("public");
    const statesBefore = await db.prisma.bucketState.count();

    // Someone removes the bucket's Block Public Access and adds a public policy.
    target.publicAccessBlock = null;
    target.policy = [...(target.policy ?? []), { kind: "public-read" }];
    const connector = createFixtureConnector(estate);
    const events = [event(target.name, { eventName: "DeleteBucketPublicAccessBlock" }), event(target.name)];
    const [refresh] = planRefreshes(events).refreshes;
    const outcome = await refreshFromEvents(db.prisma, { connector, databaseUrl: db.url }, refresh!);

    expect(outcome).toMatchObject({ status: "refreshed", bucketId: bucket.id, after: { exposure: "public" } });
    expect(outcome.status === "refreshed" && outcome.before?.exposure).not.toBe("public");
    // Only this bucket was read: one new state, S3 calls for one bucket only (no ListBuckets).
    expect(await db.prisma.bucketState.count()).toBe(statesBefore + 1);
    expect(connector.callCounts()["s3:ListBuckets"] ?? 0).toBe(0);
    expect(await db.prisma.bucket.findUniqueOrThrow({ where: { id: bucket.id } })).toMatchObject({
      exposure: "public",
    });
    const diff = await db.prisma.bucketSettingChange.findMany({ where: { bucketId: bucket.id } });
    expect(diff.map((d) => d.setting).sort()).toEqual(expect.arrayContaining(["policy", "publicAccessBlock"]));
    const recorded = await db.prisma.bucketChangeEvent.findMany({
      where: { bucketId: bucket.id },
      orderBy: { eventTime: "asc" },
    });
    expect(recorded.map((r) => [r.eventName, r.actorArn, r.sourceIp])).toEqual([
      ["DeleteBucketPublicAccessBlock", `arn:aws:sts::${account.accountId}:assumed-role/Admin/alice`, "203.0.113.7"],
      ["PutBucketPolicy", `arn:aws:sts::${account.accountId}:assumed-role/Admin/alice`, "203.0.113.7"],
    ]);
    expect(recorded[1]!.verdictAfter).toMatchObject({ exposure: "public" });
  });

  it("records a redelivered event once, and a refresh of an unchanged bucket writes no new state", async () => {
    const again = event(target.name);
    const states = await db.prisma.bucketState.count();
    for (let i = 0; i < 2; i++) {
      const [refresh] = planRefreshes([again]).refreshes;
      expect((await refreshFromEvents(db.prisma, deps(), refresh!)).status).toBe("refreshed");
    }
    expect(await db.prisma.bucketChangeEvent.count({ where: { eventId: again.eventId } })).toBe(1);
    expect(await db.prisma.bucketState.count()).toBe(states);
  });

  it("ignores an event for an account that is not linked", async () => {
    const [refresh] = planRefreshes([event("someone-elses-bucket", { accountId: "999988887777" })]).refreshes;
    expect(await refreshFromEvents(db.prisma, deps(), refresh!)).toEqual({ status: "unlinked" });
    expect(await db.prisma.bucketChangeEvent.count({ where: { accountId: "999988887777" } })).toBe(0);
  });

  it("waits while a full sync of the account holds its lock", async () => {
    const locks = await acquireSyncLocks(db.url, { accountId: account.accountId, globalLimit: 1 });
    try {
      const [refresh] = planRefreshes([event(target.name)]).refreshes;
      expect(await refreshFromEvents(db.prisma, deps(), refresh!)).toEqual({ status: "busy" });
    } finally {
      await locks.release();
    }
  });

  it("an expired role session stores nothing and is assumed again on the next attempt", async () => {
    const real = createFixtureConnector(estate);
    let connects = 0;
    // The first session's credentials are refused on every call, as AWS answers an expired session.
    const connector: AwsConnector = {
      callCounts: () => real.callCounts(),
      async connect(ref) {
        connects++;
        const clients = await real.connect(ref);
        if (connects > 1) return clients;
        const expired = Object.assign(new Error("The security token included in the request is expired"), {
          name: "ExpiredToken",
        });
        return {
          get: (service, region) => {
            const client = clients.get(service, region);
            return new Proxy(client, {
              get: (t, p) => (p === "send" ? () => Promise.reject(expired) : Reflect.get(t, p)),
            });
          },
        } as AccountClients;
      },
    };
    const sessions = createSessionCache(connector);
    const states = await db.prisma.bucketState.count();
    const e = event(target.name);
    const [refresh] = planRefreshes([e]).refreshes;
    expect(await refreshFromEvents(db.prisma, { connector, databaseUrl: db.url, sessions }, refresh!)).toMatchObject({
      status: "failed",
    });
    expect(await db.prisma.bucketState.count()).toBe(states);
    expect(await db.prisma.bucketChangeEvent.count({ where: { eventId: e.eventId } })).toBe(0);
    expect(await refreshFromEvents(db.prisma, { connector, databaseUrl: db.url, sessions }, refresh!)).toMatchObject({
      status: "refreshed",
    });
    expect(connects).toBe(2);
  });

  it("marks a deleted bucket gone and keeps its history", async () => {
    const victim = buckets[buckets.length - 1]!;
    const row = await db.prisma.bucket.findFirstOrThrow({ where: { name: victim.name } });
    buckets.splice(buckets.length - 1, 1);
    const [refresh] = planRefreshes([event(victim.name, { eventName: "DeleteBucket" })]).refreshes;
    const outcome = await refreshFromEvents(db.prisma, deps(), refresh!);
    expect(outcome).toMatchObject({ status: "refreshed", after: { gone: true } });
    expect((await db.prisma.bucket.findUniqueOrThrow({ where: { id: row.id } })).goneAt).not.toBeNull();
    expect(await db.prisma.bucketState.count({ where: { bucketId: row.id } })).toBeGreaterThan(0);
  });
});
