/**
 * An evaluation writes only the verdicts that changed (issue 7: a re-sync where nothing changed writes almost
 * nothing), and what it leaves in place is exactly what a full rewrite would have written. Row versions are read
 * through xmin: a row an UPDATE or INSERT touched has a new one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { bucketExportRows } from "@/lib/export/bucket-export";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { bucketExportView } from "@/lib/server/dal/buckets";
import { evaluateAccountBuckets, evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { evaluateAccountControlsFor } from "@/lib/evaluation/evaluate-account-controls";
import { loadCurrentScheme, saveSchemeVersion } from "@/lib/evaluation/scheme-store";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let accountId: string;

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("evaluation_writes");
  await loadDemoOrganisation(db.prisma, { historyDays: 1 });
  // The demo account with the most evaluated buckets.
  const [top] = await db.prisma.$queryRaw<{ account_id: string }[]>`
    SELECT account_id FROM bucket WHERE evaluated_at IS NOT NULL GROUP BY account_id ORDER BY COUNT(*) DESC, account_id LIMIT 1`;
  accountId = top!.account_id;
});
afterAll(async () => {
  await db.drop();
});

/** Row versions of the account's buckets and control results, keyed by row. */
async function versions() {
  const rows = await db.prisma.$queryRaw<{ key: string; xmin: string }[]>`
    SELECT 'bucket:' || b.id AS key, b.xmin::text AS xmin FROM bucket b WHERE b.account_id = ${accountId}
    UNION ALL
    SELECT 'result:' || cr.bucket_id || ':' || cr.control_id, cr.xmin::text FROM control_result cr JOIN bucket b ON b.id = cr.bucket_id
     WHERE b.account_id = ${accountId}
    UNION ALL
    SELECT 'access-history:' || h.id, h.xmin::text FROM bucket_external_access_history h
    UNION ALL
    SELECT 'account-history:' || h.id, h.xmin::text FROM account_control_result_history h`;
  return new Map(rows.map((r) => [r.key, r.xmin]));
}

/** What the evaluation decided for the account's buckets, without when (time, scheme version) a result was written. */
async function verdicts() {
  return db.prisma.$queryRaw<unknown[]>`
    SELECT b.id, b.level_key, b.level_rank, b.level_source, b.classified, b.exposure, b.public_write, b.risk_score,
           b.failing_required, b.unknown_required, b.waived_required, b.compliant, b.macie_max_severity, b.macie_findings,
           b.config_disagreements, b.owner_tag, b.tags, b.risk_terms,
           (SELECT json_agg(json_build_object('c', cr.control_id, 'r', cr.required, 's', cr.status, 'o', cr.observed,
                   'why', cr.reason, 'e', cr.evidence, 'cv', cr.config_verdict, 'cc', cr.config_compliance, 'w', cr.waiver_id)
                   ORDER BY cr.control_id)
              FROM control_result cr WHERE cr.bucket_id = b.id) AS results
      FROM bucket b WHERE b.account_id = ${accountId} ORDER BY b.id`;
}

const changed_ = (before: Map<string, string>, after: Map<string, string>) =>
  [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).sort();

describe("evaluation writes", () => {
  it("re-evaluating unchanged buckets rewrites no row, and records when the account was evaluated", async () => {
    const before = await versions();
    expect(before.size).toBeGreaterThan(20);
    const started = new Date();
    const { evaluated } = await evaluateAccountBuckets(db.prisma, accountId);
    expect(evaluated).toBeGreaterThan(0);
    // Nor a version of the register's or the account controls' history (an unchanged verdict opens none).
    expect([...before.keys()].filter((k) => k.startsWith("access-history:")).length).toBeGreaterThan(0);
    expect([...before.keys()].filter((k) => k.startsWith("account-history:")).length).toBeGreaterThan(0);
    await evaluateAccountControlsFor(db.prisma, {});
    expect(changed_(before, await versions())).toEqual([]);

    const account = await db.prisma.account.findUniqueOrThrow({
      where: { id: accountId },
      select: { evaluatedAt: true },
    });
    expect(account.evaluatedAt!.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1);
    // The export's evaluatedAt is the confirmation, not the older time the verdict was first written.
    const view = bucketExportView({ account: accountId }, BucketQuerySchema.parse({}));
    for await (const row of bucketExportRows(db.prisma, view)) {
      expect(row.evaluatedAt).toBe(account.evaluatedAt!.toISOString());
    }
  });

  it("a bucket without a digest is compared in full: it gets its digest, and its equal results are not rewritten", async () => {
    const target = await db.prisma.bucket.findFirstOrThrow({
      where: { accountId, evaluatedAt: { not: null } },
      orderBy: { id: "asc" },
      select: { id: true, verdictDigest: true },
    });
    expect(target.verdictDigest).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    await db.prisma.bucket.update({ where: { id: target.id }, data: { verdictDigest: null } });
    const before = await versions();
    await evaluateAccountBuckets(db.prisma, accountId);
    expect(changed_(before, await versions())).toEqual([`bucket:${target.id}`]);
    const after = await db.prisma.bucket.findUniqueOrThrow({
      where: { id: target.id },
      select: { verdictDigest: true },
    });
    expect(after.verdictDigest).toBe(target.verdictDigest);
  });

  it("each result keeps the digest of what was written; a result edited by hand loses it and is put right", async () => {
    expect(await db.prisma.controlResult.count({ where: { verdictDigest: null } })).toBe(0);
    const target = await db.prisma.controlResult.findFirstOrThrow({
      where: { bucket: { accountId }, controlId: "versioning" },
      orderBy: { bucketId: "asc" },
      select: { bucketId: true, status: true, reason: true, verdictDigest: true },
    });
    expect(target.verdictDigest).toMatch(/^[A-Za-z0-9_-]{11}$/);
    const key = { bucketId_controlId: { bucketId: target.bucketId, controlId: "versioning" } };
    // An edit that does not give the result a new digest clears it (a trigger), so the result is sent and written
    // again; the stale bucket's other results are not (their digests match).
    await db.prisma.controlResult.update({ where: key, data: { reason: "edited by hand" } });
    expect(await db.prisma.controlResult.findUniqueOrThrow({ where: key })).toMatchObject({ verdictDigest: null });
    await db.prisma.bucket.update({ where: { id: target.bucketId }, data: { verdictDigest: null } });
    const before = await versions();
    await evaluateAccountBuckets(db.prisma, accountId);
    expect(changed_(before, await versions())).toEqual([
      `bucket:${target.bucketId}`,
      `result:${target.bucketId}:versioning`,
    ]);
    expect(await db.prisma.controlResult.findUniqueOrThrow({ where: key })).toMatchObject({
      status: target.status,
      reason: target.reason,
      verdictDigest: target.verdictDigest,
    });
  });

  it("a change rewrites only the verdicts it changes", async () => {
    const target = await db.prisma.bucket.findFirstOrThrow({
      where: { accountId, levelKey: { not: "high" }, goneAt: null, evaluatedAt: { not: null } },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    const lead = await db.prisma.user.findFirstOrThrow({ where: { role: "security_lead" }, select: { id: true } });
    // A retired control's result (the catalog no longer has it) must go; every other bucket stays as it is.
    await db.prisma.controlResult.create({
      data: {
        bucketId: target.id,
        controlId: "retired-control",
        required: false,
        status: "pass",
        observed: "pass",
        reason: "old",
        evidence: {},
        schemeVersion: 1,
        evaluatedAt: new Date(0),
      },
    });
    const before = await versions();
    await db.prisma.bucketClassification.create({
      data: { bucketId: target.id, levelKey: "high", reason: "holds card data", setById: lead.id },
    });
    await evaluateAccountBuckets(db.prisma, accountId);

    const touched = changed_(before, await versions());
    expect(touched).toContain(`bucket:${target.id}`);
    expect(touched).toContain(`result:${target.id}:retired-control`);
    expect(touched.every((k) => k === `bucket:${target.id}` || k.startsWith(`result:${target.id}:`))).toBe(true);
    const after = await db.prisma.bucket.findUniqueOrThrow({
      where: { id: target.id },
      select: { levelKey: true, levelSource: true },
    });
    expect(after).toEqual({ levelKey: "high", levelSource: "manual" });
    expect(await db.prisma.controlResult.count({ where: { controlId: "retired-control" } })).toBe(0);
  });

  it("a scheme change rewrites only the buckets and results whose verdict it changes, under the new version", async () => {
    const before = await versions();
    const { scheme } = await loadCurrentScheme(db.prisma);
    const changed = structuredClone(scheme);
    const medium = changed.levels.find((l) => l.key === "medium")!;
    expect(medium.requiredControlIds).not.toContain("versioning");
    medium.requiredControlIds.push("versioning");
    await saveSchemeVersion(db.prisma, changed, { note: "test: Medium requires versioning" });
    const { schemeVersion } = await evaluateAccountBuckets(db.prisma, accountId);

    const touched = new Set(changed_(before, await versions()));
    const buckets = await db.prisma.bucket.findMany({
      where: { accountId, evaluatedAt: { not: null } },
      select: { id: true, levelKey: true, schemeVersion: true },
    });
    // A bucket row is rewritten (and then says the new version) only where its verdict changed: Medium buckets.
    // The others keep the version their verdict was written under; the account's evaluatedAt says they were confirmed.
    const rewritten = buckets.filter((b) => touched.has(`bucket:${b.id}`));
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.length).toBeLessThan(buckets.length);
    for (const b of buckets) {
      if (touched.has(`bucket:${b.id}`)) expect(b).toMatchObject({ levelKey: "medium", schemeVersion });
      else expect(b.schemeVersion).toBeLessThan(schemeVersion);
    }
    // Only Medium buckets' versioning results changed (required, and with it the status); nothing else was written.
    const results = [...touched].filter((k) => k.startsWith("result:"));
    const medIds = new Set(buckets.filter((b) => b.levelKey === "medium").map((b) => b.id));
    expect(results.length).toBeGreaterThan(0);
    for (const k of results) {
      const [, id, control] = k.split(":");
      expect(control).toBe("versioning");
      expect(medIds.has(Number(id))).toBe(true);
    }
  });

  it("what it leaves in place equals a rewrite from scratch", async () => {
    const kept = await verdicts();
    await db.prisma.controlResult.deleteMany({ where: { bucket: { accountId } } });
    await db.prisma.bucket.updateMany({
      where: { accountId },
      // The digest too: it is what an evaluation compares with before writing anything for a bucket.
      data: { evaluatedAt: null, riskScore: -1, tags: {}, riskTerms: [], verdictDigest: null },
    });
    await evaluateBuckets(db.prisma, { accountId });
    expect(await verdicts()).toEqual(kept);
  });
});
