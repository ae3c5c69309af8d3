/**
 * Evaluation in worker threads (issue 19) writes exactly what the in-thread evaluation writes — verdicts, results,
 * digests, access rows — reports progress the same way, and a page that fails rolls back alone. Should no worker
 * start, the evaluation runs in its own thread.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { DEFAULT_SCHEME } from "@/lib/domain/classification/scheme";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { startEvaluationWorkers } from "@/lib/evaluation/evaluate-in-workers";
import { loadCurrentScheme, saveSchemeVersion } from "@/lib/evaluation/scheme-store";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let buckets: number;

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("evaluation_threads");
  await loadDemoOrganisation(db.prisma, { historyDays: 1 });
  buckets = await db.prisma.bucket.count({ where: { currentStateId: { not: null } } });
}, 120_000);
afterAll(async () => {
  await db.drop();
});

/** Everything an evaluation writes, times left out (they differ between two evaluations). */
async function written() {
  const [rows] = await db.prisma.$queryRaw<{ b: unknown; r: unknown; a: unknown; h: unknown }[]>`
    SELECT
      (SELECT json_agg(json_build_object('id', b.id, 'level', b.level_key, 'rank', b.level_rank, 'source', b.level_source,
              'classified', b.classified, 'exposure', b.exposure, 'pw', b.public_write, 'reach', b.outside_reach,
              'risk', b.risk_score, 'failing', b.failing_required, 'unknown', b.unknown_required, 'waived', b.waived_required,
              'compliant', b.compliant, 'mmax', b.macie_max_severity, 'mcount', b.macie_findings,
              'mpol', b.macie_policy_findings, 'dis', b.config_disagreements, 'owner', b.owner_tag, 'tags', b.tags,
              'terms', b.risk_terms, 'digest', b.verdict_digest, 'v', b.scheme_version) ORDER BY b.id)
         FROM bucket b) AS b,
      (SELECT json_agg(json_build_object('b', cr.bucket_id, 'c', cr.control_id, 'r', cr.required, 's', cr.status,
              'o', cr.observed, 'why', cr.reason, 'e', cr.evidence, 'cv', cr.config_verdict, 'cc', cr.config_compliance,
              'w', cr.waiver_id, 'v', cr.scheme_version) ORDER BY cr.bucket_id, cr.control_id)
         FROM control_result cr) AS r,
      (SELECT json_agg(json_build_object('b', e.bucket_id, 'p', e.principal, 'k', e.kind, 'acc', e.account_id,
              'r', e.read, 'w', e.write, 'ko', e.key_only, 'why', e.reason) ORDER BY e.bucket_id, e.principal)
         FROM bucket_external_access e) AS a,
      (SELECT json_agg(json_build_object('b', h.bucket_id, 'p', h.principal, 'r', h.read, 'w', h.write,
              'open', h.valid_to IS NULL) ORDER BY h.bucket_id, h.principal, h.valid_from, h.id)
         FROM bucket_external_access_history h) AS h`;
  return rows!;
}

/** As if never evaluated: the next evaluation writes every bucket in full. */
async function forget() {
  await db.prisma.controlResult.deleteMany({});
  await db.prisma.bucketExternalAccess.deleteMany({});
  await db.prisma.bucket.updateMany({
    data: { evaluatedAt: null, riskScore: -1, tags: {}, riskTerms: [], verdictDigest: null },
  });
}

const digests = async () =>
  new Map(
    (await db.prisma.bucket.findMany({ select: { id: true, verdictDigest: true } })).map((b) => [
      b.id,
      b.verdictDigest,
    ]),
  );

describe("evaluation in worker threads", () => {
  it("writes what the in-thread evaluation writes, from scratch and after a scheme change, with the same progress", async () => {
    expect(buckets).toBeGreaterThan(60);
    const asLoaded = await written();

    // From scratch: every bucket written in full, by two workers and by this thread, in pages of 20.
    const progress: Record<string, number[]> = {};
    const run = async (threads: number) => {
      const ticks: number[] = [];
      const summary = await evaluateBuckets(
        db.prisma,
        {},
        { threads, pageSize: 20, onBatch: (n) => void ticks.push(n) },
      );
      progress[threads] = ticks;
      return summary;
    };
    await forget();
    expect((await run(2)).evaluated).toBe(buckets);
    const byWorkers = await written();
    await forget();
    expect((await run(0)).evaluated).toBe(buckets);
    expect(await written()).toEqual(byWorkers);
    expect(byWorkers).toEqual(asLoaded);
    // Progress: the running total after each committed page, ending at every bucket.
    for (const ticks of Object.values(progress)) {
      expect(ticks).toHaveLength(Math.ceil(buckets / 20));
      expect(ticks.at(-1)).toBe(buckets);
      expect([...ticks].sort((a, b) => a - b)).toEqual(ticks);
    }

    // A scheme change (Medium requires versioning) evaluated by workers, then the same change by this thread.
    const { scheme } = await loadCurrentScheme(db.prisma);
    const changed = structuredClone(scheme);
    changed.levels.find((l) => l.key === "medium")!.requiredControlIds.push("versioning");
    await saveSchemeVersion(db.prisma, changed, { note: "test: Medium requires versioning" });
    await forget();
    await run(0);
    const inThread = await written();
    await saveSchemeVersion(db.prisma, scheme, { note: "test: back" });
    await run(2); // back to the scheme as loaded: the digests are the loaded ones again
    expect((await written()).b).not.toEqual(inThread.b);
    await saveSchemeVersion(db.prisma, changed, { note: "test: Medium requires versioning again" });
    const { schemeVersion } = await run(2);
    const viaWorkers = await written();
    // The same verdicts and digests; the rows the change rewrote say the version they were written under.
    const withoutVersions = (w: Awaited<ReturnType<typeof written>>) =>
      JSON.parse(JSON.stringify(w), (k, v: unknown) => (k === "v" ? undefined : v)) as unknown;
    expect(withoutVersions(viaWorkers)).toEqual(withoutVersions(inThread));
    expect((viaWorkers.b as { v: number }[]).some((b) => b.v === schemeVersion)).toBe(true);
    await saveSchemeVersion(db.prisma, scheme, { note: "test: back" });
    await run(2);
  }, 120_000);

  it("a page that fails in a worker rolls back alone: the other pages are written, nothing half-written", async () => {
    const before = await digests();
    // Every bucket to be written again, and one bucket's row cannot be: its page's transaction fails.
    await db.prisma.bucket.updateMany({ data: { verdictDigest: null } });
    const failing = [...before.keys()].sort((a, b) => a - b)[30]!;
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION test_refuse_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = ${failing} THEN RAISE EXCEPTION 'test: bucket ${failing} refused'; END IF; RETURN NEW; END $$`);
    await db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER test_refuse_bucket BEFORE UPDATE ON bucket FOR EACH ROW EXECUTE FUNCTION test_refuse_bucket()`,
    );
    try {
      await expect(evaluateBuckets(db.prisma, {}, { threads: 2, pageSize: 20, batchesInFlight: 1 })).rejects.toThrow(
        `test: bucket ${failing} refused`,
      );
    } finally {
      await db.prisma.$executeRawUnsafe("DROP TRIGGER test_refuse_bucket ON bucket");
      await db.prisma.$executeRawUnsafe("DROP FUNCTION test_refuse_bucket()");
    }
    const after = await digests();
    const ids = [...before.keys()].sort((a, b) => a - b);
    const failingPage = ids.slice(20, 40);
    // The failing page's buckets: none written (the page is one transaction).
    for (const id of failingPage) expect(after.get(id)).toBeNull();
    // The pages before it, started first and evaluated by the other worker or earlier: written in full.
    for (const id of ids.slice(0, 20)) expect(after.get(id)).toBe(before.get(id));
    // Every bucket either has its full, correct digest or none (never another).
    for (const id of ids) expect([null, before.get(id)]).toContain(after.get(id));
    // The next evaluation completes what was left.
    await evaluateBuckets(db.prisma, {}, { threads: 2, pageSize: 20 });
    expect(await digests()).toEqual(before);
  }, 120_000);

  it("falls back to this thread when no worker can start", async () => {
    const job = {
      databaseUrl: "postgresql://postgres@127.0.0.1:1/nowhere",
      scope: {},
      fixed: { at: new Date(), scheme: DEFAULT_SCHEME, schemeVersion: 1 },
      ownerKey: "Owner",
    };
    expect(await startEvaluationWorkers(2, job)).toBeNull();
  }, 60_000);
});
