/**
 * Evaluation: for each bucket, run `evaluateBucket` on what the evaluation context assembles (current settings,
 * account settings, manual classification, active waivers, AWS Config verdicts, Macie's view) and persist the
 * ControlResults plus the denormalised columns the lists filter and sort on. Runs after every load and whenever
 * the scheme, a classification or a waiver changes. Page by page in id order, so memory stays flat at 100,000
 * buckets.
 */
import { hash } from "node:crypto";
import { bulkPoolFor, databaseUrlOf, withBulkTransaction, type Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { settings } from "@/lib/env";
import { computeEffectiveAccess } from "@/lib/domain/access/effective-access";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { evaluateBucket } from "@/lib/domain/evaluate-bucket";
import {
  loadEvaluationContext,
  PAGE,
  PAIRS_IN,
  pairsOf,
  type BucketEvaluationInput,
  type BucketToEvaluate,
  type EvaluationContext,
} from "@/lib/evaluation/evaluation-context";
import { defaultEvaluationThreads, startEvaluationWorkers } from "@/lib/evaluation/evaluate-in-workers";
import { forEachPage } from "@/lib/evaluation/for-each-page";

const BATCHES_IN_FLIGHT = 2;
const CONTROL_IDS = CONTROL_CATALOG.map((c) => c.id);
const RESULT_COLUMNS = [
  "bucket_id",
  "control_id",
  "required",
  "status",
  "observed",
  "reason",
  "evidence",
  "config_verdict",
  "config_compliance",
  "waiver_id",
  "verdict_digest",
  "scheme_version",
  "evaluated_at",
] as const;
/** AppSetting `ownerTagKey`: which bucket tag names the owner (matched case-insensitively). */
export const DEFAULT_OWNER_TAG_KEY = "Owner";

async function ownerTagKey(client: Db): Promise<string> {
  const [setting] = (
    await bulkPoolFor(client).query<{ value: unknown }>({
      name: "owner-tag-key",
      text: "SELECT value FROM app_setting WHERE key = 'ownerTagKey'",
    })
  ).rows;
  return typeof setting?.value === "string" && setting.value.trim() !== ""
    ? setting.value.trim()
    : DEFAULT_OWNER_TAG_KEY;
}

function ownerFromTags(tags: Record<string, string>, key: string): string | null {
  const wanted = key.toLowerCase();
  const match = Object.keys(tags)
    .sort()
    .find((k) => k.toLowerCase() === wanted);
  return match === undefined ? null : (tags[match] ?? null);
}

export interface EvaluationSummary {
  evaluated: number;
  schemeVersion: number;
  /** Worker threads that evaluated (0: this thread), and how long they took to start (ms). */
  threads?: { count: number; startMs: number };
}

export async function evaluateAccountBuckets(client: Db, accountId: string): Promise<EvaluationSummary> {
  return evaluateBuckets(client, { accountId });
}

type ResultRow = {
  bucket_id: number;
  control_id: string;
  required: boolean;
  status: string;
  observed: string;
  reason: string;
  evidence: unknown;
  config_verdict: string | null;
  config_compliance: string | null;
  waiver_id: string | null;
};
type BucketRow = {
  id: number;
  level: string;
  level_rank: number;
  source: string;
  classified: boolean;
  exposure: string;
  public_write: string;
  outside_reach: string;
  risk: number;
  failing: number;
  unknown_count: number;
  waived: number;
  compliant: boolean;
  macie_max: number;
  macie_count: number;
  macie_policy_count: number;
  disagreements: number;
  owner: string | null;
  tags: Record<string, string>;
  risk_terms: unknown;
  /** sha1 of what is written for the bucket: this row, its results and its access rows (times left out). */
  digest: string;
};
type AccessRow = {
  bucket_id: number;
  principal: string;
  kind: string;
  account_id: string | null;
  read: string | null;
  write: string | null;
  key_only: boolean;
  reason: string;
};

export interface EvaluateOptions {
  /** Called after each persisted batch with the running total (progress for background re-evaluations). */
  onBatch?: (evaluated: number) => void | Promise<void>;
  /**
   * Batches of 500 buckets evaluated at once, per thread (default 2: while one batch's verdicts are computed, the
   * other's rows are read or written in Postgres). bench/reevaluate.ts compares 1 and 2.
   */
  batchesInFlight?: number;
  /**
   * Worker threads that evaluate the batches (0: this thread). Default: min(2, available parallelism) once the scope
   * has CUSTODY_EVALUATION_WORKERS_FROM buckets or more, else 0. Should no worker start, the batches are evaluated in this thread.
   */
  threads?: number;
  /** Buckets per page (default PAGE, 500): tests split a small estate into several pages. */
  pageSize?: number;
}

/**
 * Below CUSTODY_EVALUATION_WORKERS_FROM buckets (default 20,000) the batches are evaluated in this thread: a worker
 * first loads its modules, connections and context (measured 5–7 s for two under tsx on a loaded 2-core machine;
 * less from the Next.js build), about what evaluating 20,000 buckets in one thread takes. A sync's account (≈ 100
 * buckets) or one bucket after a waiver never starts one.
 */
const workersFrom = () => settings().CUSTODY_EVALUATION_WORKERS_FROM;

/** One bucket's evaluation: its digest, to compare with the stored one, and the strings to write if it differs. */
export interface EvaluatedBucket {
  id: number;
  digest: string;
  /** The bucket's rows as the statements take them (made on demand: only a changed bucket needs them). */
  strings(): PreparedBucket;
}

/** One bucket's evaluation, ready to write: JSON documents, as the statements take them. */
export interface PreparedBucket {
  id: number;
  digest: string;
  /** The bucket's verdict row (digest included), a JSON object. */
  row: string;
  /** Its control results, one JSON object each (no digest yet: `write` adds it to the ones it sends). */
  resultParts: string[];
  /** The control of each of those results, in the same order. */
  resultControls: string[];
  /** Its external-access rows, JSON objects separated by commas ("" for none): a slice of a JSON array. */
  access: string;
  /** The principals of those rows, in the same order. */
  accessPrincipals: string[];
}

/**
 * A result's digest: 66 bits of the sha1 of its JSON (11 base64url characters), kept in control_result.verdict_digest.
 * It only decides whether to send a result of a bucket whose own (full sha1) digest already changed; a collision,
 * ≈ 2^-66 per changed result, would leave that one result unwritten.
 */
function resultDigest(resultJson: string): string {
  return hash("sha1", resultJson, "base64url").slice(0, 11);
}

/** JSON array of slices that are each a JSON array's contents (empty slices skipped). */
function jsonArray(slices: string[]): string {
  let out = "[";
  for (const s of slices) {
    if (s === "") continue;
    out += out.length === 1 ? s : `,${s}`;
  }
  return `${out}]`;
}

/**
 * One bucket's evaluation, ready to compare and write (no I/O): its verdicts (`evaluateBucket`), who outside the
 * organisation gets in, the verdict row, its results and access rows, and the digest of all three; their JSON for a
 * write on demand (`strings`). `bench/evaluation-cpu.ts` times it alone.
 */
export function prepareBucket(
  { bucket: b, args, sensitiveFindings }: BucketEvaluationInput,
  how: { rankOf: ReadonlyMap<string, number>; ownerKey: string; policyFindings: number },
): EvaluatedBucket {
  const { rankOf, ownerKey } = how;
  const evaluation = evaluateBucket(args);
  // Who outside the organisation gets in: the bucket list's "reachable from outside" and the Third parties
  // page read what is stored here, so both agree with the bucket page's effective-access card.
  const access = computeEffectiveAccess(args.input);
  const accessRows: AccessRow[] = [];
  for (const p of access.principals) {
    accessRows.push({
      bucket_id: b.id,
      principal: p.principal,
      kind: p.kind,
      account_id: p.accountId,
      read: p.read?.reach ?? null,
      write: p.write?.reach ?? null,
      key_only: false,
      reason: [p.read?.reason, p.write?.reason].filter(Boolean).join(" | "),
    });
  }
  for (const k of access.keyOnly) {
    accessRows.push({
      bucket_id: b.id,
      principal: k.principal,
      kind: k.kind,
      account_id: k.accountId,
      read: null,
      write: null,
      key_only: true,
      reason: k.reason,
    });
  }

  let failing = 0,
    unknownCount = 0,
    waived = 0,
    disagreements = 0;
  const resultRows: ResultRow[] = [];
  for (const r of evaluation.results) {
    if (r.required && r.status === "fail") failing++;
    if (r.required && r.status === "unknown") unknownCount++;
    if (r.required && r.status === "waived") waived++;
    if (r.config?.verdict === "disagree") disagreements++;
    resultRows.push({
      bucket_id: b.id,
      control_id: r.controlId,
      required: r.required,
      status: r.status,
      observed: r.observed,
      reason: r.reason,
      evidence: r.evidence,
      config_verdict: r.config?.verdict ?? null,
      config_compliance: r.config?.complianceType ?? null,
      waiver_id: r.waiverId ?? null,
    });
  }
  const tags = b.settings.tags.status === "present" ? b.settings.tags.value : {};
  const row: BucketRow = {
    id: b.id,
    level: evaluation.level.levelKey,
    level_rank: rankOf.get(evaluation.level.levelKey) ?? -1,
    source: evaluation.level.source,
    classified: evaluation.level.classified,
    exposure: evaluation.exposure.publicRead.status,
    public_write: evaluation.exposure.publicWrite.status,
    outside_reach:
      access.reachableFromOutside === null ? "unknown" : access.reachableFromOutside ? "reachable" : "not-reachable",
    risk: evaluation.risk.score,
    failing,
    unknown_count: unknownCount,
    waived,
    compliant: failing === 0 && unknownCount === 0,
    macie_max: args.input.macie?.sensitiveFindings.maxSeverityScore ?? 0,
    macie_count: sensitiveFindings,
    macie_policy_count: how.policyFindings,
    disagreements,
    owner: ownerFromTags(tags, ownerKey),
    tags,
    risk_terms: evaluation.risk.terms,
    // Last, and empty while the digest is taken: the written row's JSON is this one's with the digest put in.
    digest: "",
  };
  // Everything this evaluation writes for the bucket, as one digest: the sha1 of JSON.stringify([row, results,
  // access]) with the row's digest empty. One string and one hash per bucket: a scheme change leaves most buckets as
  // they were, and those are dropped on the digest alone; the strings a write needs are made only for the others
  // (`strings`). Making them for every bucket and joining them again for the digest allocated 146 KB per evaluated
  // bucket in all, 132 KB since (issue 19; no CPU difference was measurable, docs/performance.md).
  const digest = hash("sha1", JSON.stringify([row, resultRows, accessRows]), "base64");
  return {
    id: b.id,
    digest,
    strings() {
      // The written row is the digested one with the digest put in (its last key, so the other bytes are the same).
      const rowJson = JSON.stringify({ ...row, digest });
      const accessJson = JSON.stringify(accessRows);
      return {
        id: b.id,
        digest,
        row: rowJson,
        // Each result on its own (the array's JSON is these joined by commas): `write` digests them one by one to
        // send only the results that changed.
        resultParts: resultRows.map((r) => JSON.stringify(r)),
        resultControls: resultRows.map((r) => r.control_id),
        access: accessJson.slice(1, -1),
        accessPrincipals: accessRows.map((a) => a.principal),
      };
    },
  };
}

/** Evaluates a batch of buckets and writes what changed: the same on this thread and in a worker thread. */
export interface PageEvaluator {
  /** Evaluate and write the buckets with these ids (those with a settings state); returns how many. */
  evaluateIds(ids: number[]): Promise<number>;
}

export function pageEvaluator(client: Db, context: EvaluationContext, ownerKey: string): PageEvaluator {
  const { scheme, schemeVersion: version, at: now } = context;
  const rankOf = new Map(scheme.levels.map((l) => [l.key, l.rank]));
  const pool = bulkPoolFor(client);

  /** The page's buckets evaluated, and of those only the ones whose verdict differs from the one stored. */
  async function prepare(page: BucketToEvaluate[]): Promise<PreparedBucket[]> {
    const [inputs, policyFindingRows, storedRows] = await Promise.all([
      context.inputsFor(page),
      // Macie's policy findings (public, shared externally, encryption or BPA disabled…) are counted on their own:
      // they say what Macie saw about access, not what data the bucket holds, and are no input to the verdicts.
      pool.query<{ account_id: string; bucket_name: string; n: number }>(
        `SELECT account_id, bucket_name, COUNT(*)::int AS n FROM macie_finding
          WHERE ${PAIRS_IN} AND NOT archived AND category = 'POLICY'
          GROUP BY account_id, bucket_name`,
        pairsOf(page),
      ),
      pool.query<{ id: number; digest: string | null }>({
        name: "stored-verdict-digests",
        text: "SELECT id, verdict_digest AS digest FROM bucket WHERE id = ANY($1::int[])",
        values: [page.map((b) => b.id)],
      }),
    ]);
    const storedDigest = new Map(storedRows.rows.map((r) => [r.id, r.digest]));
    const policyFindingsBy = new Map(policyFindingRows.rows.map((p) => [`${p.account_id}/${p.bucket_name}`, p.n]));

    // Rows to write, sent as JSON documents (jsonb_to_recordset): evidence, tags and risk terms are objects, and
    // escaping each as text into an array literal cost more in node-postgres than computing the verdicts did. Each
    // bucket's rows are stringified once, here: the digest is taken over those strings, and the statements' documents
    // are made by joining the strings of the buckets that changed (they were stringified a second time before).
    const prepared: PreparedBucket[] = [];
    for (const input of inputs) {
      const { bucket: b } = input;
      const policyFindings = policyFindingsBy.get(`${b.accountId}/${b.name}`) ?? 0;
      const bucket = prepareBucket(input, { rankOf, ownerKey, policyFindings });
      // An unchanged bucket is dropped here, on its digest; only a changed one's strings (≈ 11 KB of JSON) are made
      // and held until the page is written. Held for every bucket, they outlived a young-generation collection or two
      // and were copied and promoted, and those collections were a quarter of a re-evaluation's CPU (issue 19), where
      // a scheme change leaves most buckets as they are.
      if (storedDigest.get(bucket.id) !== bucket.digest) prepared.push(bucket.strings());
    }
    return prepared;
  }

  /**
   * Writes the buckets `prepare` found changed. Only those go further (issue 19): each digest was compared with
   * bucket.verdict_digest as the page was read. Before, every bucket's ≈ 20 results went to Postgres with their
   * evidence (≈ 14 KB of JSON per bucket), to be parsed and compared field by field, even where nothing had changed;
   * that was most of a re-evaluation's time in Postgres. A bucket without a digest (never evaluated, or written before
   * the digest existed) goes further and gets one; its results are sent only where their own digests differ (a result
   * without one is sent). A bucket another evaluation changed after that read, away from what this one found, is
   * left to it, as one changed before the read would have been: this evaluation saw nothing to write there.
   */
  async function write(candidates: PreparedBucket[]): Promise<void> {
    if (candidates.length === 0) return;

    // Write the batch in one transaction, and only what changed: a re-sync where nothing changed must write (almost)
    // nothing (issue 7). Rewriting every verdict on every sync rewrote 100,000 bucket rows with their ~20 index
    // entries and ~1.3 M control results per full sync, and doubled the bucket heap that the overview scans.
    // The rows travel as JSON documents rather than through a COPY-staged temp table, whose emptying at commit
    // cost ~10 ms per transaction (one per account in a sync).
    await withBulkTransaction(client, async (tx) => {
      // The stale buckets, locked (in id order, so two writers cannot deadlock) and read again, with the digest of
      // each stored result: only results whose digest differs are sent (issue 19). A scheme change alters one or two
      // results of a bucket, yet all ≈ 20 went to Postgres with their evidence (≈ 14 KB per bucket), to be parsed
      // and compared there: ≈ 0.6 ms of Postgres CPU per changed bucket, most of a re-evaluation's. The lock keeps
      // another evaluation of the same bucket (a sync's and a scheme change's) from writing between this read and
      // this write, which would leave results of two evaluations under one bucket digest. A bucket that another
      // evaluation has meanwhile brought to this same digest is left alone.
      const { rows: held } = await tx.query<{
        id: number;
        digest: string | null;
        controls: string[] | null;
        digests: (string | null)[] | null;
      }>(
        `SELECT b.id, b.verdict_digest AS digest, r.controls, r.digests
           FROM bucket b
           LEFT JOIN LATERAL (
             SELECT array_agg(cr.control_id) AS controls, array_agg(cr.verdict_digest) AS digests
               FROM control_result cr WHERE cr.bucket_id = b.id) r ON true
          WHERE b.id = ANY($1::int[])
          ORDER BY b.id
            FOR NO KEY UPDATE OF b`,
        [candidates.map((b) => b.id)],
      );
      const heldBy = new Map(held.map((h) => [h.id, h]));
      const changed = candidates.filter((b) => {
        const h = heldBy.get(b.id);
        return h !== undefined && h.digest !== b.digest;
      });
      if (changed.length === 0) return;
      const changedIds = changed.map((b) => b.id);
      const accessBucketIds = changed.flatMap((b) => b.accessPrincipals.map(() => b.id));
      const accessPrincipals = changed.flatMap((b) => b.accessPrincipals);
      const resultsToSend: string[] = [];
      for (const b of changed) {
        const h = heldBy.get(b.id)!;
        const storedDigest = new Map<string, string | null>();
        (h.controls ?? []).forEach((c, i) => storedDigest.set(c, h.digests?.[i] ?? null));
        b.resultParts.forEach((part, i) => {
          const digest = resultDigest(part);
          if (storedDigest.get(b.resultControls[i]!) === digest) return;
          resultsToSend.push(`${part.slice(0, -1)},"verdict_digest":${JSON.stringify(digest)}}`);
        });
      }

      // Results for controls the bucket no longer has (a control left the catalog): evaluateBucket returns one
      // result per catalog control, so that is any control outside the catalog. Not `(bucket_id, control_id) NOT IN
      // (SELECT … unnest)` of the batch's ≈ 10,000 pairs: NOT IN is a SubPlan hashed only while they fit in
      // work_mem (else rescanned once per result row), and sending the pairs cost more than the delete.
      await tx.query(
        `DELETE FROM control_result WHERE bucket_id = ANY($1::int[]) AND NOT (control_id = ANY($2::text[]))`,
        [changedIds, CONTROL_IDS],
      );
      // What a result says; scheme_version and evaluated_at only say when it was last written. So a scheme change
      // rewrites the results it changes (a level that now requires versioning: that level's versioning results),
      // not all 1.7 M of them (2.3 ms per bucket when every result was rewritten).
      const verdict = RESULT_COLUMNS.filter(
        (c) => c !== "bucket_id" && c !== "control_id" && c !== "evaluated_at" && c !== "scheme_version",
      );
      // Only results whose verdict differs (or that are new) are written; evaluated_at is when a result was last
      // written, so a verdict confirmed by a later evaluation keeps the time it was reached. The comparison is a
      // join in a CTE, not ON CONFLICT … WHERE: that form locks every conflicting row, written or not — a lock
      // per result (heap page dirtied, WAL) made an unchanged account's results cost 150–250 ms per 1,700. ON
      // CONFLICT stays for the rows that are written: a sync's evaluation and a scheme or waiver re-evaluation may
      // overlap on a bucket, and the later one wins.
      if (resultsToSend.length > 0) {
        await tx.query(
          `WITH fresh AS (
           SELECT u.*, $2::int AS scheme_version
             FROM jsonb_to_recordset($1::jsonb)
               AS u(bucket_id int, control_id text, required boolean, status text, observed text, reason text, evidence jsonb,
                    config_verdict text, config_compliance text, waiver_id uuid, verdict_digest text)
         )
         INSERT INTO control_result (${RESULT_COLUMNS.join(", ")})
         SELECT f.bucket_id, f.control_id, ${verdict.map((c) => `f.${c}`).join(", ")}, f.scheme_version, $3
           FROM fresh f
           LEFT JOIN control_result cr ON cr.bucket_id = f.bucket_id AND cr.control_id = f.control_id
          WHERE cr.bucket_id IS NULL
             OR (${verdict.map((c) => `cr.${c}`).join(", ")}) IS DISTINCT FROM (${verdict.map((c) => `f.${c}`).join(", ")})
         ON CONFLICT (bucket_id, control_id) DO UPDATE SET ${[...verdict, "scheme_version", "evaluated_at"].map((c) => `${c} = EXCLUDED.${c}`).join(", ")}`,
          [`[${resultsToSend.join(",")}]`, version, now],
        );
      }
      // Who outside each bucket lets in (few rows: most buckets have none), and when each outsider was first seen.
      // First its history (bucket_external_access_history), so an evidence bundle can read the register as of its
      // snapshot: the open version of a (bucket, outsider) closes when what it says changed or the grant is gone,
      // and a changed or new grant opens one. Compared with the open version, so an unchanged re-sync writes nothing.
      await tx.query(
        `WITH fresh AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb)
             AS u(bucket_id int, principal text, kind text, account_id text, read text, write text, key_only boolean, reason text)),
         open_rows AS (
           SELECT h.* FROM bucket_external_access_history h WHERE h.valid_to IS NULL AND h.bucket_id = ANY($1::int[])),
         changed AS (
           SELECT f.* FROM fresh f LEFT JOIN open_rows o ON o.bucket_id = f.bucket_id AND o.principal = f.principal
            WHERE o.id IS NULL
               OR (o.kind, o.account_id, o.read, o.write, o.key_only, o.reason)
                  IS DISTINCT FROM (f.kind, f.account_id, f.read, f.write, f.key_only, f.reason)),
         closed AS (
           UPDATE bucket_external_access_history h SET valid_to = $3
             FROM open_rows o
            WHERE h.id = o.id
              AND (EXISTS (SELECT 1 FROM changed c WHERE c.bucket_id = o.bucket_id AND c.principal = o.principal)
                   OR NOT EXISTS (SELECT 1 FROM fresh f WHERE f.bucket_id = o.bucket_id AND f.principal = o.principal))
           RETURNING 1)
         INSERT INTO bucket_external_access_history (bucket_id, principal, kind, account_id, read, write, key_only, reason, valid_from)
         SELECT bucket_id, principal, kind, account_id, read, write, key_only, reason, $3 FROM changed`,
        [changedIds, jsonArray(changed.map((b) => b.access)), now],
      );
      await tx.query(
        `DELETE FROM bucket_external_access e
        WHERE e.bucket_id = ANY($1::int[])
          AND NOT EXISTS (SELECT 1 FROM unnest($2::int[], $3::text[]) AS k(bucket_id, principal)
                           WHERE k.bucket_id = e.bucket_id AND k.principal = e.principal)`,
        [changedIds, accessBucketIds, accessPrincipals],
      );
      if (accessPrincipals.length > 0) {
        await tx.query(
          `WITH fresh AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS u(bucket_id int, principal text, kind text, account_id text, read text, write text, key_only boolean, reason text)),
         written AS (
           INSERT INTO bucket_external_access (bucket_id, principal, kind, account_id, read, write, key_only, reason)
           SELECT bucket_id, principal, kind, account_id, read, write, key_only, reason FROM fresh
           ON CONFLICT (bucket_id, principal) DO UPDATE
             SET kind = EXCLUDED.kind, account_id = EXCLUDED.account_id, read = EXCLUDED.read, write = EXCLUDED.write,
                 key_only = EXCLUDED.key_only, reason = EXCLUDED.reason
           WHERE (bucket_external_access.kind, bucket_external_access.account_id, bucket_external_access.read,
                  bucket_external_access.write, bucket_external_access.key_only, bucket_external_access.reason)
                 IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.account_id, EXCLUDED.read, EXCLUDED.write,
                                   EXCLUDED.key_only, EXCLUDED.reason))
         INSERT INTO external_principal (principal, kind, first_seen_at)
         SELECT DISTINCT ON (principal) principal, kind, $2::timestamp FROM fresh
         ON CONFLICT (principal) DO NOTHING`,
          [jsonArray(changed.map((b) => b.access)), now],
        );
      }
      // The bucket's denormalised verdict and its digest, likewise only where they changed (or were never written).
      // scheme_version and evaluated_at say when the verdict was last written, as on the results, and are not
      // compared: stamping every bucket with a new scheme version rewrote all 1,000,000 rows (≈ 20 index entries
      // each) on a scheme change that altered a third of the verdicts. Later confirmations are the account's
      // evaluated_at.
      await tx.query(
        `UPDATE bucket AS b SET
         level_key = u.level, level_source = u.source, classified = u.classified, exposure = u.exposure,
         public_write = u.public_write, outside_reach = u.outside_reach, risk_score = u.risk, failing_required = u.failing, unknown_required = u.unknown_count,
         waived_required = u.waived, compliant = u.compliant, macie_max_severity = u.macie_max, macie_findings = u.macie_count,
         macie_policy_findings = u.macie_policy_count,
         config_disagreements = u.disagreements, owner_tag = u.owner, tags = u.tags, risk_terms = u.risk_terms,
         level_rank = u.level_rank, verdict_digest = u.digest, evaluated_at = $1, scheme_version = $2
       FROM jsonb_to_recordset($3::jsonb)
         AS u(id int, level text, level_rank int, source text, classified boolean, exposure text, public_write text, outside_reach text, risk int,
              failing int, unknown_count int, waived int, compliant boolean, macie_max int, macie_count int, macie_policy_count int,
              disagreements int,
              owner text, tags jsonb, risk_terms jsonb, digest text)
       WHERE b.id = u.id
         AND (b.evaluated_at IS NULL
              OR (b.level_key, b.level_source, b.classified, b.exposure, b.public_write, b.outside_reach, b.risk_score, b.failing_required,
                  b.unknown_required, b.waived_required, b.compliant, b.macie_max_severity, b.macie_findings,
                  b.macie_policy_findings, b.config_disagreements, b.owner_tag, b.tags, b.risk_terms, b.level_rank, b.verdict_digest)
                 IS DISTINCT FROM
                 (u.level, u.source, u.classified, u.exposure, u.public_write, u.outside_reach, u.risk, u.failing, u.unknown_count, u.waived,
                  u.compliant, u.macie_max, u.macie_count, u.macie_policy_count, u.disagreements, u.owner, u.tags, u.risk_terms,
                  u.level_rank, u.digest))`,
        [now, version, jsonArray(changed.map((b) => b.row))],
      );
    });
  }

  return {
    async evaluateIds(ids) {
      const page = await context.bucketsWithIds(ids);
      if (page.length === 0) return 0;
      await write(await prepare(page));
      return page.length;
    },
  };
}

export async function evaluateBuckets(
  client: Db,
  where: Prisma.BucketWhereInput = {},
  options: EvaluateOptions = {},
): Promise<EvaluationSummary> {
  const [context, ownerKey] = await Promise.all([
    loadEvaluationContext(client, { buckets: where }),
    ownerTagKey(client),
  ]);
  const ids = await context.bucketIds();
  const inFlight = Math.max(1, options.batchesInFlight ?? BATCHES_IN_FLIGHT);
  const idPages = async function* () {
    const size = options.pageSize ?? PAGE;
    for (let offset = 0; offset < ids.length; offset += size) yield ids.slice(offset, offset + size);
  };

  // Both cores (issue 19): at 1,000,000 buckets one thread evaluating (≈ 270–300 µs of CPU per bucket: the domain
  // evaluation, its garbage and the digest) was the bound while Postgres needed ≈ 190 µs. Worker threads each load
  // their own context as of this one's time and scheme version, take pages of ids from this thread and evaluate and
  // write them end to end (a page's rows are read and decoded in the worker too, not cloned across threads); this
  // thread only hands out pages and reports progress. On a machine whose cores are already busy this gains nothing
  // (docs/performance.md, "Re-evaluation in worker threads at 1,000,000 buckets").
  const threads = options.threads ?? (ids.length >= workersFrom() ? defaultEvaluationThreads() : 0);
  const starting = performance.now();
  const workers =
    threads > 0
      ? await startEvaluationWorkers(threads, {
          databaseUrl: databaseUrlOf(client),
          scope: typeof where.accountId === "string" ? { accountId: where.accountId } : {},
          fixed: { at: context.at, scheme: context.scheme, schemeVersion: context.schemeVersion },
          ownerKey,
        })
      : null;
  const startMs = performance.now() - starting;
  const evaluator = workers ?? pageEvaluator(client, context, ownerKey);

  let evaluated = 0; // progress counts the buckets whose verdicts are committed
  try {
    // Pages hold disjoint buckets and commit separately, so their order does not matter; a page that fails rolls
    // back alone, no further page is started, and the error is re-thrown once the pages in flight have settled.
    await forEachPage(idPages(), inFlight * (workers?.size ?? 1), async (pageIds) => {
      const count = await evaluator.evaluateIds(pageIds);
      evaluated += count;
      await options.onBatch?.(evaluated);
    });
  } finally {
    await workers?.close();
  }
  // An evaluation of whole accounts confirms every verdict it did not rewrite: record when (the exports' evaluatedAt).
  const keys = Object.keys(where);
  const wholeAccounts =
    keys.length === 0
      ? { id: null }
      : keys.length === 1 && typeof where.accountId === "string"
        ? { id: where.accountId }
        : null;
  // Plain SQL (once per account job in a sync); updated_at moves as Prisma's updateMany moved it.
  if (wholeAccounts) {
    const pool = bulkPoolFor(client);
    const at = [context.at.toISOString(), new Date().toISOString()];
    await (wholeAccounts.id === null
      ? pool.query("UPDATE account SET evaluated_at = $1, updated_at = $2", at)
      : pool.query({
          name: "account-evaluated",
          text: "UPDATE account SET evaluated_at = $1, updated_at = $2 WHERE id = $3",
          values: [...at, wholeAccounts.id],
        }));
  }
  return {
    evaluated,
    schemeVersion: context.schemeVersion,
    ...(threads > 0 ? { threads: { count: workers?.size ?? 0, startMs } } : {}),
  };
}
