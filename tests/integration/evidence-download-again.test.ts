/**
 * "Download again" of an issued evidence bundle: rebuilt from its record (scope, snapshot, issue time, issuer), the
 * bytes served carry a manifest.json whose SHA-256 is the recorded one; a record whose hash no longer matches what
 * the rebuild gives is refused (409) and nothing is served.
 */
import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { evaluateAccountControlsFor } from "@/lib/evaluation/evaluate-account-controls";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { normalizeScope, writeEvidenceBundle } from "@/lib/evidence/write-bundle";
import { readZipEntries } from "@/lib/evidence/zip-reader";
import type { Prisma } from "@/lib/generated/prisma/client";
import { rebuildEvidenceBundleWith, startEvidenceBundleWith } from "@/lib/server/dal/evidence";
import { nameVendor } from "@/lib/server/dal/third-parties";
import type { Actor } from "@/lib/server/permissions";
import { EXTERNAL_PARTNER_ACCOUNT_ID } from "@/lib/sources/fixture/bucket-traits";
import { DEMO_SPECIAL_BUCKETS } from "@/lib/sources/fixture/estate";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
const actors = {} as Record<"auditor" | "lead" | "admin", Actor>;
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function issue(request: Record<string, unknown>): Promise<Buffer> {
  const { stream, done } = await startEvidenceBundleWith(db.prisma, actors.auditor, request);
  const chunks: Buffer[] = [];
  const collected = new Promise<void>((resolve, reject) => {
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  await done;
  await collected;
  return Buffer.concat(chunks);
}

describe("evidence: download an issued bundle again", () => {
  beforeAll(async () => {
    process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
    db = await scratchDb("evidence_again");
    await loadDemoOrganisation(db.prisma, { historyDays: 1 });
    const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
    const as = (email: string, role: Actor["role"]): Actor => ({ ...users.find((u) => u.email === email)!, role });
    actors.auditor = as("auditor@demo.custody.local", "auditor");
    actors.lead = as("lead@demo.custody.local", "security-lead");
    actors.admin = { ...users.find((u) => u.role === "admin")!, role: "admin" };
    // nameVendor reads the shared client (lib/server/db.ts): point it at this database.
    process.env.DATABASE_URL = db.url;
    delete (globalThis as { custodyDb?: unknown }).custodyDb;
  }, 180_000);
  afterAll(async () => {
    await (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb?.$disconnect();
    delete (globalThis as { custodyDb?: unknown }).custodyDb;
    await db?.drop();
  });

  it("rebuilds the same bytes, and refuses a record whose hash does not match", async () => {
    const run = await db.prisma.syncRun.findFirstOrThrow({
      where: { status: { in: ["succeeded", "partial"] } },
      orderBy: { finishedAt: "desc" },
      select: { id: true },
    });
    const account = await db.prisma.account.findFirstOrThrow({ where: { enabled: true }, select: { id: true } });
    const original = await issue({ syncRunId: run.id, accounts: [account.id], levels: ["high"] });
    const record = await db.prisma.evidenceBundle.findFirstOrThrow({
      orderBy: { createdAt: "desc" },
      select: { id: true, sha256: true, fileName: true },
    });
    expect(sha256(readZipEntries(original).get("manifest.json")!)).toBe(record.sha256);

    const again = await rebuildEvidenceBundleWith(db.prisma, actors.auditor, record.id);
    expect(again.sha256).toBe(record.sha256);
    expect(sha256(readZipEntries(again.bytes).get("manifest.json")!)).toBe(record.sha256);
    expect(again.fileName).toBe(record.fileName);
    // Same entries, same timestamps, same compression: the whole ZIP is byte for byte the one issued.
    expect(sha256(again.bytes)).toBe(sha256(original));

    // A record changed after the fact (here its hash): the rebuild no longer matches it, so nothing is served.
    await db.prisma.evidenceBundle.update({ where: { id: record.id }, data: { sha256: "0".repeat(64) } });
    await expect(rebuildEvidenceBundleWith(db.prisma, actors.auditor, record.id)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("cannot be downloaded again"),
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "evidence.download-again", targetId: record.id },
      orderBy: { at: "desc" },
      select: { outcome: true },
    });
    expect(audit.outcome).toBe("failure");

    await expect(
      rebuildEvidenceBundleWith(db.prisma, actors.auditor, "00000000-0000-4000-8000-000000000000"),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(rebuildEvidenceBundleWith(db.prisma, actors.lead, record.id)).rejects.toMatchObject({
      code: "forbidden",
    });
  }, 180_000);

  it("rebuilds account posture and the third-party register as of the snapshot after both changed", async () => {
    const run = await db.prisma.syncRun.findFirstOrThrow({
      where: { status: { in: ["succeeded", "partial"] } },
      orderBy: { finishedAt: "desc" },
      select: { id: true },
    });
    const partnerBucket = await db.prisma.bucket.findFirstOrThrow({
      where: { name: DEMO_SPECIAL_BUCKETS.crossAccountRead, goneAt: null },
      select: { id: true, accountId: true, currentStateId: true },
    });
    const original = await issue({ syncRunId: run.id, accounts: [partnerBucket.accountId] });
    const record = await db.prisma.evidenceBundle.findFirstOrThrow({
      orderBy: { createdAt: "desc" },
      select: { id: true, sha256: true, manifest: true },
    });
    const manifest = record.manifest as { format: string; files: { name: string }[] };
    expect(manifest.format).toBe("custody-evidence/2");
    expect(manifest.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(["account-posture.csv", "third-parties.csv"]),
    );
    const entries = readZipEntries(original);
    const posture = entries.get("account-posture.csv")!.toString("utf8");
    const register = entries.get("third-parties.csv")!.toString("utf8");
    const [postureHeader, ...postureLines] = posture.trim().split("\n");
    expect(postureHeader).toBe("account_id,control_id,status,reason,evidence,since,sync_run_id,as_of");
    // Every control of the account in scope, and no other account.
    expect(postureLines.length).toBeGreaterThan(0);
    expect(postureLines.every((l) => l.startsWith(`${partnerBucket.accountId},`))).toBe(true);
    const partnerLine = register.split("\n").find((l) => l.includes(`,${DEMO_SPECIAL_BUCKETS.crossAccountRead},`));
    // Unnamed at the snapshot; an effective read through bucket and key.
    expect(partnerLine).toMatch(new RegExp(`^${EXTERNAL_PARTNER_ACCOUNT_ID},account,,\\d{4}-.*,effective,,false,`));

    // Later: the account's verdicts change (its trails stop validating log files), the partner's grant is removed by
    // a newly read policy, and an admin names the partner.
    const before = await db.prisma.accountControlResult.findMany({ where: { accountId: partnerBucket.accountId } });
    await db.prisma.$executeRaw`UPDATE trail SET log_file_validation = NOT log_file_validation`;
    await evaluateAccountControlsFor(db.prisma, { accountIds: [partnerBucket.accountId] });
    const after = await db.prisma.accountControlResult.findMany({ where: { accountId: partnerBucket.accountId } });
    expect(after.map((r) => `${r.controlId}:${r.status}`).sort()).not.toEqual(
      before.map((r) => `${r.controlId}:${r.status}`).sort(),
    );
    const state = await db.prisma.bucketState.findUniqueOrThrow({ where: { id: partnerBucket.currentStateId! } });
    const newer = await db.prisma.bucketState.create({
      data: {
        bucketId: partnerBucket.id,
        hash: "f".repeat(64),
        settings: { ...(state.settings as object), policy: { status: "absent" } },
        syncRunId: run.id,
        readAt: new Date(),
        lastReadAt: new Date(),
      },
    });
    await db.prisma.bucket.update({ where: { id: partnerBucket.id }, data: { currentStateId: newer.id } });
    await evaluateBuckets(db.prisma, { id: { in: [partnerBucket.id] } });
    // The bucket no longer grants the partner anything: only its key still lets it decrypt.
    expect(
      await db.prisma.bucketExternalAccess.findMany({
        where: { bucketId: partnerBucket.id, principal: EXTERNAL_PARTNER_ACCOUNT_ID },
        select: { read: true, keyOnly: true },
      }),
    ).toEqual([{ read: null, keyOnly: true }]);
    await nameVendor(actors.admin, { accountId: EXTERNAL_PARTNER_ACCOUNT_ID, name: "Acme Exchange Ltd" });

    // Download again: the same bytes as issued.
    const again = await rebuildEvidenceBundleWith(db.prisma, actors.auditor, record.id);
    expect(again.sha256).toBe(record.sha256);
    expect(sha256(again.bytes)).toBe(sha256(original));
    // A new bundle of the same snapshot shows the snapshot too, not the change; the current register no longer
    // names the partner on that bucket.
    const fresh = readZipEntries(await issue({ syncRunId: run.id, accounts: [partnerBucket.accountId] }));
    expect(fresh.get("account-posture.csv")!.toString("utf8")).toBe(posture);
    expect(fresh.get("third-parties.csv")!.toString("utf8")).toBe(register);
  }, 180_000);

  it("rebuilds a bundle issued in the first format (six files, four limits) in that format", async () => {
    const run = await db.prisma.syncRun.findFirstOrThrow({
      where: { status: { in: ["succeeded", "partial"] } },
      orderBy: { finishedAt: "desc" },
      select: { id: true },
    });
    const request = normalizeScope({ syncRunId: run.id, accounts: [], ous: [], levels: ["high"], controls: [] });
    const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.once("end", resolve));
    const issued = await writeEvidenceBundle(db.prisma, {
      request,
      createdBy: { id: actors.auditor.id, email: actors.auditor.email },
      createdAt,
      format: "custody-evidence/1",
      out,
    });
    await ended;
    expect(issued.manifest).toMatchObject({ format: "custody-evidence/1" });
    expect(issued.files.map((f) => f.name)).toEqual([
      "scheme.json",
      "bucket-settings.json",
      "control-matrix.csv",
      "config-evaluations.json",
      "macie-findings.json",
      "waivers.csv",
    ]);
    expect(issued.manifest.limitations).toHaveLength(4);
    const record = await db.prisma.evidenceBundle.create({
      data: {
        createdAt,
        createdById: actors.auditor.id,
        scope: request as unknown as Prisma.InputJsonValue,
        syncRunId: run.id,
        sha256: issued.manifestSha256,
        manifest: issued.manifest as Prisma.InputJsonValue,
        fileName: "custody-evidence-v1.zip",
        sizeBytes: 0,
      },
    });
    const again = await rebuildEvidenceBundleWith(db.prisma, actors.auditor, record.id);
    expect(again.sha256).toBe(issued.manifestSha256);
    expect(sha256(again.bytes)).toBe(sha256(Buffer.concat(chunks)));
  }, 180_000);
});
