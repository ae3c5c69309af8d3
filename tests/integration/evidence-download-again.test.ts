/**
 * "Download again" of an issued evidence bundle: rebuilt from its record (scope, snapshot, issue time, issuer), the
 * bytes served carry a manifest.json whose SHA-256 is the recorded one; a record whose hash no longer matches what
 * the rebuild gives is refused (409) and nothing is served.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { readZipEntries } from "@/lib/evidence/zip-reader";
import { rebuildEvidenceBundleWith, startEvidenceBundleWith } from "@/lib/server/dal/evidence";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
const actors = {} as Record<"auditor" | "lead", Actor>;
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
  }, 180_000);
  afterAll(async () => db?.drop());

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
});
