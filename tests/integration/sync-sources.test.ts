/**
 * The sync runs whatever the registry lists (lib/sources/registry.ts), by scope: here the real sources plus two
 * probes registered only for this test — one account-wide, one regional that fails in one region. Each step gets its
 * own SyncTask, a regional step runs in every region the bucket inventory found plus the home region, and a failing
 * step makes the account partial, never failed: only the bucket inventory (S3) can fail an account.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import type { Source, SourceSyncContext } from "@/lib/sources/shared/source";
import { syncAccount } from "@/lib/sync/sync-account";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { scratchDb } from "../support/scratch-db";

const probeCalls = vi.hoisted(() => [] as { key: string; region: string | null; accountId: string }[]);

vi.mock("@/lib/sources/registry", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/sources/registry")>();
  const accountProbe: Source = {
    key: "probe-account",
    commands: {},
    sync: {
      scope: "account",
      async run({ accountId }: SourceSyncContext) {
        probeCalls.push({ key: "probe-account", region: null, accountId });
        return { itemsRead: 2, error: null, regions: ["ap-southeast-2"] };
      },
    },
  };
  const regionalProbe: Source = {
    key: "probe-region",
    commands: {},
    sync: {
      scope: "region",
      async run({ accountId, region }: SourceSyncContext & { region: string }) {
        probeCalls.push({ key: "probe-region", region, accountId });
        if (region === "eu-west-1") return { itemsRead: 0, error: { code: "ProbeDenied", message: "no access" } };
        return { itemsRead: 3, error: null };
      },
    },
  };
  return { SOURCES: [...real.SOURCES, accountProbe, regionalProbe] };
});

const estate = generateFixtureEstate({
  seed: 11,
  accounts: 1,
  bucketsPerAccount: 12,
  regions: ["us-east-1", "eu-west-1"],
  scenario: "generic",
});
const account = estate.accounts[0]!;

describe("the sync reads the registry", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let outcome: Awaited<ReturnType<typeof syncAccount>>;
  let syncRunId: string;

  beforeAll(async () => {
    db = await scratchDb("sync_sources");
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
    syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    outcome = await syncAccount(
      db.prisma,
      createFixtureConnector(estate),
      { syncRunId, account: { id: account.accountId, roleArn: account.roleArn, externalId: account.externalId } },
      { homeRegion: account.homeRegion },
    );
  });
  afterAll(async () => db.drop());

  it("runs an account-wide step once and a regional step in every region found, each as its own task", async () => {
    const bucketRegions = new Set(estate.bucketsOf(account.accountId).map((b) => b.region));
    const regions = [...new Set([account.homeRegion, ...bucketRegions, "ap-southeast-2"])].sort();
    expect(probeCalls.filter((c) => c.key === "probe-account")).toEqual([
      { key: "probe-account", region: null, accountId: account.accountId },
    ]);
    expect(
      probeCalls
        .filter((c) => c.key === "probe-region")
        .map((c) => c.region)
        .sort(),
    ).toEqual(regions);

    const tasks = await db.prisma.syncTask.findMany({ where: { syncRunId } });
    const byCollector = (collector: string) =>
      tasks
        .filter((t) => t.collector === collector)
        .map((t) => t.region)
        .sort();
    expect(byCollector("s3")).toEqual(["global"]);
    expect(byCollector("probe-account")).toEqual(["global"]);
    expect(byCollector("config")).toEqual(regions);
    expect(byCollector("macie")).toEqual(regions);
    expect(byCollector("probe-region")).toEqual(regions);
    expect(tasks.find((t) => t.collector === "probe-account")).toMatchObject({ status: "succeeded", itemsRead: 2 });
    expect(tasks.find((t) => t.collector === "probe-region" && t.region === "eu-west-1")).toMatchObject({
      status: "failed",
      errorCode: "ProbeDenied",
      errorMessage: "no access",
    });
  });

  it("a failing regional step makes the account partial; the bucket count is the inventory's", async () => {
    expect(outcome.status).toBe("partial");
    expect(outcome.error).toMatch(/collector task\(s\) failed/);
    expect(outcome.buckets).toBe(estate.bucketsOf(account.accountId).length);
    expect(await db.prisma.bucket.count({ where: { accountId: account.accountId } })).toBe(outcome.buckets);
  });
});
