/**
 * "Since the last sync" against real Postgres: the demo load's sync leaves a posture snapshot; a later one in which a
 * bucket became public and failing is compared with it, and only what is new is listed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { DEMO_SPECIAL_BUCKETS } from "@/lib/sources/fixture/estate";
import { getFailingByLevel, getHeadlineTrend, getPostureChanges } from "@/lib/server/dal/posture-changes";
import type { Actor } from "@/lib/server/permissions";
import { snapshotPosture } from "@/lib/sync/posture-history";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let lead: Actor;
let manager: Actor;

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("posture-changes");
  await loadDemoOrganisation(db.prisma, { historyDays: 5 });
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const user = (role: string) => users.find((u) => u.role === role)!;
  lead = { ...user("security_lead"), role: "security-lead" };
  manager = { ...user("manager"), role: "manager" };
});
afterAll(async () => {
  const shared = (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb;
  await shared?.$disconnect();
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  await db.drop();
});

describe("posture changes", () => {
  it("after one sync there is nothing to compare with", async () => {
    const changes = await getPostureChanges(lead);
    expect(changes.latest).not.toBeNull();
    expect(changes.previous).toBeNull();
    expect(changes.changes).toEqual([]);
  });

  it("lists what the last sync made public or failing, and not what already was", async () => {
    const target = await db.prisma.bucket.findFirstOrThrow({
      where: { name: DEMO_SPECIAL_BUCKETS.compliantHigh },
      select: { id: true, name: true, accountId: true },
    });
    const alreadyPublic = await db.prisma.bucket.count({ where: { exposure: "public", goneAt: null } });
    expect(alreadyPublic).toBeGreaterThan(0);
    await db.prisma.bucket.update({ where: { id: target.id }, data: { exposure: "public", failingRequired: 2 } });
    const run = await db.prisma.syncRun.create({ data: { trigger: "cli", status: "succeeded" } });
    await snapshotPosture(db.prisma, run.id, new Date(Date.now() + 1000));

    const changes = await getPostureChanges(lead);
    expect(changes.previous).not.toBeNull();
    const byKey = Object.fromEntries(changes.changes.map((c) => [c.key, c]));
    expect(byKey.public).toMatchObject({ count: 1, buckets: [target] });
    expect(byKey.failing).toMatchObject({ count: 1, buckets: [target] });
    expect(byKey.reachable).toMatchObject({ count: 0, buckets: [] });
  });

  it("reads what the snapshot stored when it was written, and compares live a snapshot that stored nothing", async () => {
    const [latest, previous] = await db.prisma.postureSnapshot.findMany({
      orderBy: { takenAt: "desc" },
      take: 2,
      select: { syncRunId: true, comparedWith: true, newPublicIds: true },
    });
    expect(latest!.comparedWith).toBe(previous!.syncRunId);
    expect(latest!.newPublicIds).toHaveLength(1);
    const stored = await getPostureChanges(lead);
    await db.prisma.$executeRaw`UPDATE posture_snapshot
      SET compared_with = NULL, new_public_ids = NULL, new_reachable_ids = NULL, new_failing_ids = NULL
      WHERE sync_run_id = ${latest!.syncRunId}::uuid`;
    expect(await getPostureChanges(lead)).toEqual(stored);
  });

  it("counts failing buckets per level with the unclassified apart, as the bucket columns say", async () => {
    const rows = await getFailingByLevel(lead);
    const unclassified = rows.find((r) => r.levelKey === null)!;
    expect(unclassified.failing).toBe(
      await db.prisma.bucket.count({ where: { goneAt: null, levelSource: "fallback", failingRequired: { gt: 0 } } }),
    );
    const high = rows.find((r) => r.levelKey === "high")!;
    expect(high.failing).toBe(
      await db.prisma.bucket.count({
        where: { goneAt: null, levelKey: "high", failingRequired: { gt: 0 } },
      }),
    );
    const levels = rows.filter((r) => r.levelKey !== null);
    expect(levels.reduce((n, r) => n + r.total, 0)).toBe(await db.prisma.bucket.count({ where: { goneAt: null } }));
  });

  it("gives the daily headline numbers, oldest first, and only to who may read the posture", async () => {
    const trend = await getHeadlineTrend(lead);
    expect(trend.length).toBeGreaterThan(1);
    expect(trend.map((p) => p.day)).toEqual([...trend.map((p) => p.day)].sort());
    await expect(getPostureChanges(manager)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getHeadlineTrend(manager)).rejects.toMatchObject({ code: "forbidden" });
  });
});
