/**
 * An evidence bundle re-evaluates its snapshot instead of copying stored rows, with the same evaluation context
 * the sync stores its verdicts with (lib/evaluation/evaluation-context.ts). So for the snapshot of the latest sync,
 * its control matrix must say exactly what the stored control results say — row for row, with a waiver, a manual
 * classification and a scheme change made before that sync. The estate goes through the real ingest path (fixture
 * AWS → collectors → load → evaluation), twice.
 */
import { Writable } from "node:stream";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { DEFAULT_SCHEME } from "@/lib/domain/classification/scheme";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { writeEvidenceBundle } from "@/lib/evidence/write-bundle";
import { csvRecord } from "@/lib/export/csv";
import { classifyBucketWith } from "@/lib/server/dal/classification";
import { changeSchemeWith } from "@/lib/server/dal/scheme";
import { decideWaiverWith, proposeWaiverWith } from "@/lib/server/dal/waivers";
import type { Actor } from "@/lib/server/permissions";
import { runSync } from "@/lib/sync/run-sync";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let snapshot: { id: string; finishedAt: Date };
let waiverId: string;
let classifiedBucketId: number;

/** Physical lines, each with its line break (a quoted cell may hold one: both sides are split alike). */
const splitLines = (text: string) => text.split(/(?<=\n)/);

async function controlMatrix(request: { accounts?: string[]; levels?: string[]; controls?: string[] } = {}) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const result = await writeEvidenceBundle(db.prisma, {
    request: { syncRunId: snapshot.id, accounts: [], ous: [], levels: [], controls: [], ...request } as never,
    createdBy: { id: "test", email: "test@example.com" },
    createdAt: new Date(),
    out,
  });
  const zip = await JSZip.loadAsync(Buffer.concat(chunks));
  const lines = splitLines(await zip.file("control-matrix.csv")!.async("string"));
  return { manifest: result.manifest, header: lines[0]!, rows: lines.slice(1) };
}

/** The stored control results of the buckets that existed at the snapshot, as control-matrix.csv lines. */
async function storedMatrix(where: { accountId?: string; levelKey?: { in: string[] } } = {}, controls: string[] = []) {
  const order = new Map(CONTROL_CATALOG.map((c, i) => [c.id, i]));
  const buckets = await db.prisma.bucket.findMany({
    where: { ...where, currentStateId: { not: null }, OR: [{ goneAt: null }, { goneAt: { gt: snapshot.finishedAt } }] },
    orderBy: { id: "asc" },
    select: {
      accountId: true,
      name: true,
      region: true,
      levelKey: true,
      levelSource: true,
      controlResults: {
        select: {
          controlId: true,
          required: true,
          status: true,
          observed: true,
          configVerdict: true,
          configCompliance: true,
          waiverId: true,
          reason: true,
        },
      },
    },
  });
  const records = buckets.flatMap((b) =>
    b.controlResults
      .filter((r) => controls.length === 0 || controls.includes(r.controlId))
      .sort((x, y) => order.get(x.controlId as never)! - order.get(y.controlId as never)!)
      .map((r) =>
        csvRecord([
          b.accountId,
          b.name,
          b.region,
          b.levelKey ?? "",
          b.levelSource ?? "",
          r.controlId,
          r.required ? "true" : "false",
          r.status,
          r.observed,
          r.configVerdict ?? "",
          r.configCompliance ?? "",
          r.waiverId ?? "",
          r.reason,
        ]),
      ),
  );
  return splitLines(records.join(""));
}

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("evidence_matches_stored");
  await loadDemoOrganisation(db.prisma, { historyDays: 1 });
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const as = (email: string, role: Actor["role"]): Actor => ({ ...users.find((u) => u.email === email)!, role });
  const admin = as("admin@demo.custody.local", "admin");
  const lead = as("lead@demo.custody.local", "security-lead");

  // Between the two syncs: a waiver, a manual classification and a scheme change, each re-evaluated as the app does.
  const failing = await db.prisma.controlResult.findFirstOrThrow({
    where: { required: true, status: "fail" },
    orderBy: [{ bucketId: "asc" }, { controlId: "asc" }],
    select: { controlId: true, bucket: { select: { name: true } } },
  });
  const proposed = await proposeWaiverWith(db.prisma, lead, {
    bucket: failing.bucket.name,
    controlId: failing.controlId,
    reason: "accepted until the migration",
    owner: "platform-team",
    expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  });
  await decideWaiverWith(db.prisma, admin, { waiverId: proposed.id, decision: "approve" });
  waiverId = proposed.id;
  const tagged = await db.prisma.bucket.findFirstOrThrow({
    where: { levelSource: "tag", levelKey: { not: "low" } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  await classifyBucketWith(db.prisma, admin, { bucketId: tagged.id, levelKey: "low", reason: "public website assets" });
  classifiedBucketId = tagged.id;
  const scheme = structuredClone(DEFAULT_SCHEME);
  scheme.levels.find((l) => l.key === "medium")!.requiredControlIds.push("versioning");
  const change = await changeSchemeWith(db.prisma, admin, {
    schemeJson: JSON.stringify(scheme),
    note: "Medium requires versioning",
    source: "editor",
  });
  if (!change.ok) throw new Error("scheme change refused");
  await change.done;

  const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
  await runSync(db.prisma, createFixtureConnector(estate), { trigger: "cli", regions: estate.regions });
  const run = await db.prisma.syncRun.findFirstOrThrow({
    where: { status: { in: ["succeeded", "partial"] } },
    orderBy: { finishedAt: "desc" },
    select: { id: true, finishedAt: true },
  });
  snapshot = { id: run.id, finishedAt: run.finishedAt! };
});
afterAll(async () => db.drop());

describe("an evidence bundle and the stored verdicts", () => {
  it("give the same control results for the same snapshot, for every bucket that existed then", async () => {
    const stored = await storedMatrix();
    const bundle = await controlMatrix();
    expect(bundle.manifest).toMatchObject({ snapshot: { syncRunId: snapshot.id }, schemeVersion: 2 });
    expect(bundle.rows.length).toBe((bundle.manifest.buckets as number) * CONTROL_CATALOG.length);
    expect(bundle.rows).toEqual(stored);
    // The comparison covers what the snapshot has to get right: the waiver, the manual level, the new scheme.
    const joined = stored.join("");
    expect(joined).toContain(`,waived,fail,`);
    expect(joined).toContain(`,${waiverId},`);
    const classified = await db.prisma.bucket.findUniqueOrThrow({
      where: { id: classifiedBucketId },
      select: { name: true },
    });
    expect(stored.some((line) => line.includes(`,${classified.name},`) && line.includes(",low,manual,"))).toBe(true);
    expect(stored.some((line) => line.includes(",medium,") && line.includes(",versioning,true,"))).toBe(true);
  });

  it("give the same results for a scope: accounts, levels and controls", async () => {
    const account = (await db.prisma.bucket.findFirstOrThrow({ orderBy: { id: "asc" }, select: { accountId: true } }))
      .accountId;
    const scoped = await controlMatrix({ accounts: [account], levels: ["high", "medium"], controls: ["versioning"] });
    const stored = await storedMatrix({ accountId: account, levelKey: { in: ["high", "medium"] } }, ["versioning"]);
    expect(stored.length).toBeGreaterThan(0);
    expect(scoped.rows).toEqual(stored);
  });
});
