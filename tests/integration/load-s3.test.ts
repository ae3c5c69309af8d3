/**
 * The S3 load step stores exactly what was collected: settings documents (including awkward text: quotes,
 * backslashes, newlines, non-ASCII), the bucket's creation time and when it was read — as UTC instants whatever the
 * time zone of the process that loads them — on the first-load path and on the path that records a change.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { collectS3Account, type CollectedBucket } from "@/lib/sources/s3/collect";
import { bulkPoolFor } from "@/lib/db/prisma";
import { bucketStateFingerprint, loadS3Account } from "@/lib/sources/s3/load";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let buckets: CollectedBucket[];
let accountId: string;
const originalTz = process.env.TZ;

beforeAll(async () => {
  db = await scratchDb("load_s3");
  const estate = generateFixtureEstate({ seed: 11, accounts: 1, bucketsPerAccount: 6, scenario: "generic" });
  const account = estate.accounts.find((a) => a.assumable)!;
  accountId = account.accountId;
  const clients = await createFixtureConnector(estate, { latencyMs: 0 }).connect({
    accountId,
    roleArn: account.roleArn,
    externalId: account.externalId,
  });
  buckets = (await collectS3Account(clients, { accountId, homeRegion: account.homeRegion, bucketConcurrency: 4 }))
    .buckets;
  await db.prisma.account.create({
    data: { id: accountId, name: account.name, roleArn: account.roleArn, externalId: account.externalId },
  });
});
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});
afterAll(async () => {
  await db.drop();
});

const awkward = `say "hi" \\ back\\slash\nnew line, tab\t, ünïcödé, 🪣, </script>`;

async function stored() {
  return db.prisma.bucket.findMany({
    where: { accountId },
    orderBy: { arn: "asc" },
    select: {
      arn: true,
      name: true,
      region: true,
      bucketCreatedAt: true,
      lastSeenAt: true,
      currentState: { select: { settings: true, hash: true, readAt: true } },
    },
  });
}

describe("S3 load step", () => {
  it("stores settings, creation and read times exactly, in a process whose time zone is not UTC", async () => {
    process.env.TZ = "America/New_York"; // node-postgres formats a Date in the process's zone unless told otherwise
    const run = await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } });
    const readAt = new Date("2026-07-01T12:34:56.789Z");
    const first = buckets.map((b, i) => (i === 0 ? { ...b, createdAt: "2021-03-04T05:06:07.890Z" } : b));
    const result = await loadS3Account(db.prisma, {
      syncRunId: run.id,
      accountId,
      readAt,
      buckets: first,
      listingComplete: true,
    });
    expect(result.created).toBe(buckets.length);

    const rows = await stored();
    expect(rows).toHaveLength(buckets.length);
    const byArn = new Map(first.map((b) => [b.arn, b]));
    for (const row of rows) {
      const b = byArn.get(row.arn)!;
      expect(row.name).toBe(b.name);
      expect(row.region).toBe(b.region);
      expect(row.bucketCreatedAt?.toISOString() ?? null).toBe(b.createdAt ? new Date(b.createdAt).toISOString() : null);
      expect(row.lastSeenAt.toISOString()).toBe(readAt.toISOString());
      expect(row.currentState!.readAt.toISOString()).toBe(readAt.toISOString());
      expect(row.currentState!.settings).toEqual(JSON.parse(bucketStateFingerprint(b).json));
      expect(row.currentState!.hash).toBe(bucketStateFingerprint(b).hash);
    }
    expect(rows.find((r) => r.arn === first[0]!.arn)!.bucketCreatedAt!.toISOString()).toBe("2021-03-04T05:06:07.890Z");
  });

  it("records a changed setting with awkward text as a new state, and an unchanged re-load writes nothing", async () => {
    process.env.TZ = "Asia/Kolkata";
    const run = await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } });
    const readAt = new Date("2026-07-02T00:00:00.001Z");
    const changed = buckets.map((b, i) =>
      i === 1
        ? {
            ...b,
            settings: {
              ...b.settings,
              tags: { status: "present" as const, value: { Owner: awkward, 'Key "quoted"': "x" } },
            },
          }
        : b,
    );
    const result = await loadS3Account(db.prisma, {
      syncRunId: run.id,
      accountId,
      readAt,
      buckets: changed,
      listingComplete: true,
    });
    expect(result).toMatchObject({ created: 0, changed: 1, unchanged: buckets.length - 1, markedGone: 0 });

    const row = (await stored()).find((r) => r.arn === changed[1]!.arn)!;
    expect(row.currentState!.settings).toEqual(JSON.parse(bucketStateFingerprint(changed[1]!).json));
    expect((row.currentState!.settings as { tags: { value: { Owner: string } } }).tags.value.Owner).toBe(awkward);
    expect(row.currentState!.readAt.toISOString()).toBe(readAt.toISOString());
    const change = await db.prisma.bucketSettingChange.findMany({ where: { bucketId: result.changedBucketIds[0]! } });
    expect(change.map((c) => c.setting)).toEqual(["tags"]);
    expect(change[0]!.changedAt.toISOString()).toBe(readAt.toISOString());

    const states = await db.prisma.bucketState.count();
    const again = await loadS3Account(db.prisma, {
      syncRunId: run.id,
      accountId,
      readAt: new Date(),
      buckets: changed,
      listingComplete: true,
    });
    expect(again).toMatchObject({ created: 0, changed: 0, unchanged: buckets.length });
    expect(await db.prisma.bucketState.count()).toBe(states);
  });

  it("reads timestamps back as UTC on the bulk connections the evaluation uses", async () => {
    process.env.TZ = "America/New_York";
    const viaPrisma = await db.prisma.bucketState.findFirstOrThrow({
      orderBy: { id: "asc" },
      select: { id: true, readAt: true },
    });
    const { rows } = await bulkPoolFor(db.prisma).query<{ read_at: Date }>(
      "SELECT read_at FROM bucket_state WHERE id = $1",
      [viaPrisma.id],
    );
    expect(rows[0]!.read_at.toISOString()).toBe(viaPrisma.readAt.toISOString());
    // and a Date sent as a parameter compares as the same instant
    const { rows: same } = await bulkPoolFor(db.prisma).query<{ n: number }>(
      "SELECT count(*)::int AS n FROM bucket_state WHERE id = $1 AND read_at = $2",
      [viaPrisma.id, viaPrisma.readAt],
    );
    expect(same[0]!.n).toBe(1);
  });
});
