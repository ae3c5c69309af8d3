/**
 * An evidence bundle: a ZIP streamed to the caller, built for one scope at one point in time — a completed sync
 * run (T = its finishedAt). Every data file is a pure function of what Postgres holds for T, in a stable order,
 * with no volatile field, so the same scope and snapshot give byte-identical data files; only manifest.json says
 * who made it and when. Buckets are read in keyset pages (by id), never all at once.
 *
 * Point in time: bucket settings are the BucketState current at T (greatest readAt <= T); the control matrix is
 * re-evaluated from that state (lib/domain is pure, so this is deterministic) with the evaluation context the sync
 * uses (lib/evaluation/evaluation-context.ts) loaded as of T: the scheme version in force at T, the manual
 * classification set before T and the waivers active at T. Custody keeps no history for account-wide S3 settings,
 * Config rule deployment or Macie status, and keeps only the latest Config evaluation and Macie finding rows: those
 * are the current rows, filtered to what was recorded by T. Account posture and the third-party register are read
 * from their history tables (valid_from <= T < valid_to), as stored then, not re-derived. manifest.json lists these
 * limits.
 */
import { createHash } from "node:crypto";
import { Readable, type Writable } from "node:stream";
import { ZipArchive } from "archiver";
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { ClassificationScheme } from "@/lib/domain/classification/scheme";
import { exportClassificationScheme } from "@/lib/domain/classification/scheme-schema";
import { evaluateBucket } from "@/lib/domain/evaluate-bucket";
import type { EvidenceRequest } from "@/lib/schemas/evidence";
import {
  activeWaivers,
  loadEvaluationContext,
  PAIRS_IN,
  pairsOf,
  type BucketKey,
  type EvaluationContext,
} from "@/lib/evaluation/evaluation-context";
import { loadSchemeInForce, StoredSchemeError } from "@/lib/evaluation/scheme-store";
import { stableStringify } from "@/lib/sync/stable-json";
import { csvRecord } from "@/lib/export/csv";

/** Characters of file text per ZIP chunk. */
const CHUNK_CHARS = 64 * 1024;
/**
 * The bundle format: /2 added account-posture.csv and third-parties.csv. A bundle is rebuilt in the format it was
 * issued in (its manifest names it), so "Download again" of a /1 bundle still gives its six files and its limits.
 */
export const BUNDLE_FORMAT = "custody-evidence/2";
const FORMAT_1 = "custody-evidence/1";
const FORMAT_1_FILES = [
  "scheme.json",
  "bucket-settings.json",
  "control-matrix.csv",
  "config-evaluations.json",
  "macie-findings.json",
  "waivers.csv",
];

const LIMITATIONS_1 = [
  "bucket-settings.json holds, per bucket, the settings state current at the snapshot (greatest readAt <= snapshot.finishedAt).",
  "control-matrix.csv is re-evaluated from those settings with the scheme version in force at the snapshot, manual classifications set before it and waivers active at it.",
  "Account-level S3 Block Public Access, trusted accounts, AWS Config rule deployment and Macie status have no history in Custody: their current values are used.",
  "config-evaluations.json and macie-findings.json hold the rows Custody keeps (the latest per rule and per finding) recorded or created by the snapshot time.",
];

export const BUNDLE_LIMITATIONS = [
  ...LIMITATIONS_1,
  "account-posture.csv holds the account control verdicts in force once the snapshot run's own account evaluation had written (as_of); Custody keeps their history since account posture history was introduced (2026-12-02).",
  "third-parties.csv holds the register (who outside the organisation each bucket in scope lets in) as the evaluations had stored it at the snapshot time, with vendor names as named by then; its history starts when the register history was introduced (2026-12-02). Key reads have no history: the register is as evaluated then, not re-derived, and outsiders that only a CloudTrail trail's KMS key lets decrypt (listed on the Third parties page) are not in it.",
];

export class EvidenceError extends Error {}

export interface BundleFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface BundleResult {
  manifest: Record<string, unknown>;
  manifestSha256: string;
  bucketCount: number;
  files: BundleFile[];
}

export interface Snapshot {
  syncRunId: string;
  finishedAt: Date;
  status: string;
  schemeVersion: number;
  scheme: ClassificationScheme;
}

/**
 * The scope's accounts that the snapshot's sync run could not read completely: every failed task of the run (both
 * the job queue and the inline runs record them), per account, naming the region and collector and why.
 */
async function incompleteAccounts(client: Db, snap: Snapshot, scope: { accounts: string[]; ous: string[] }) {
  const params: unknown[] = [snap.syncRunId];
  if (scope.accounts.length) params.push(scope.accounts);
  if (scope.ous.length) params.push(scope.ous);
  const rows = await query<{
    account_id: string;
    name: string;
    region: string;
    collector: string;
    error_code: string | null;
    error_message: string | null;
  }>(
    client,
    `SELECT t.account_id, a.name, t.region, t.collector, t.error_code, t.error_message
       FROM sync_task t JOIN account a ON a.id = t.account_id
      WHERE t.sync_run_id = $1::uuid AND t.status = 'failed'
        ${scope.accounts.length ? "AND t.account_id = ANY($2::varchar[])" : ""}
        ${scope.ous.length ? `AND EXISTS (SELECT 1 FROM unnest($${scope.accounts.length ? 3 : 2}::text[]) o WHERE a.ou_path = o OR a.ou_path LIKE o || '/%')` : ""}
      ORDER BY t.account_id, t.region, t.collector`,
    params,
  );
  const byAccount = new Map<
    string,
    { accountId: string; name: string; missing: { region: string; collector: string; reason: string }[] }
  >();
  for (const r of rows) {
    let entry = byAccount.get(r.account_id);
    if (!entry) byAccount.set(r.account_id, (entry = { accountId: r.account_id, name: r.name, missing: [] }));
    const reason = [r.error_code, r.error_message].filter(Boolean).join(": ") || "no reason recorded";
    entry.missing.push({ region: r.region, collector: r.collector, reason });
  }
  return [...byAccount.values()];
}

export async function resolveSnapshot(client: Db, syncRunId: string): Promise<Snapshot> {
  const run = await client.syncRun.findUnique({
    where: { id: syncRunId },
    select: { id: true, status: true, finishedAt: true },
  });
  if (!run || !run.finishedAt || !["succeeded", "partial"].includes(run.status))
    throw new EvidenceError("snapshot: this sync run did not complete; choose a completed one");
  const inForce = await loadSchemeInForce(client, run.finishedAt).catch((error: unknown) => {
    throw error instanceof StoredSchemeError ? new EvidenceError(error.message) : error;
  });
  if (!inForce) throw new EvidenceError("there is no classification scheme");
  return {
    syncRunId: run.id,
    finishedAt: run.finishedAt,
    status: run.status,
    schemeVersion: inForce.version,
    scheme: inForce.scheme,
  };
}

/**
 * The bundle reads its rows over a plain pg connection (lib/db/prisma.ts `bulkPoolFor`): a whole-estate bundle is
 * millions of rows, and decoding them through Prisma's raw-query path cost more time and garbage than building the
 * files. Timestamps (timestamp(3), UTC) are formatted by Postgres exactly as Date.toISOString() writes them, and the
 * snapshot time goes in as that text, so neither depends on the server's time zone.
 */
const isoOf = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

async function query<T>(client: Db, sql: string, params: unknown[]): Promise<T[]> {
  return (await bulkPoolFor(client).query(sql, params)).rows as T[];
}

const keyOf = (accountId: string, bucketName: string) => `${accountId}/${bucketName}`;
/**
 * One step ahead: while the consumer works on an item (evaluating a page, compressing its text), the source already
 * reads the next one from Postgres — the database and the JavaScript run side by side instead of taking turns. At
 * most two pages are in memory.
 */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let ahead = source.next();
  ahead.catch(() => undefined); // an error surfaces where it is awaited, below; this only keeps it from being "unhandled" meanwhile
  try {
    for (;;) {
      const next = await ahead;
      if (next.done) return;
      ahead = source.next();
      ahead.catch(() => undefined);
      yield next.value;
    }
  } finally {
    await source.return(undefined);
  }
}

/** Each page of the scope's buckets with what `related` reads for it, one page ahead of the consumer. */
function pagesWith<P, D>(
  pages: AsyncGenerator<P>,
  related: (page: P) => Promise<D>,
): AsyncGenerator<{ page: P; data: D }> {
  return readAhead(
    (async function* () {
      for await (const page of pages) yield { page, data: await related(page) };
    })(),
  );
}

/**
 * JSON of a flat row with its keys sorted — what stableStringify writes for it (values are strings, numbers,
 * booleans, null or arrays of strings), but by JSON.stringify with the key list, without sorting per row.
 */
function sortedKeysJson(keys: string[]): (row: object) => string {
  const sorted = [...keys].sort();
  return (row) => JSON.stringify(row, sorted);
}
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : "");

async function* bucketSettingsFile(context: EvaluationContext): AsyncGenerator<string> {
  yield "[\n";
  let first = true;
  for await (const page of readAhead(context.bucketPages({ settings: true }))) {
    for (const b of page) {
      yield `${first ? "" : ",\n"}${stableStringify({ bucketId: b.id, arn: b.arn, accountId: b.accountId, region: b.region, name: b.name, stateId: b.stateId, stateHash: b.stateHash, readAt: b.readAt, settings: b.settings })}`;
      first = false;
    }
  }
  yield "\n]\n";
}

async function* controlMatrixFile(
  context: EvaluationContext,
  controls: string[],
  counter: { buckets: number },
): AsyncGenerator<string> {
  yield csvRecord([
    "account_id",
    "bucket",
    "region",
    "level",
    "level_source",
    "control_id",
    "required",
    "status",
    "observed",
    "config_verdict",
    "config_compliance",
    "waiver_id",
    "reason",
  ]);
  for await (const { data: inputs } of pagesWith(context.bucketPages({ settings: true }), context.inputsFor)) {
    let lines = "";
    for (const { bucket: b, args } of inputs) {
      const evaluation = evaluateBucket(args);
      counter.buckets++;
      for (const r of evaluation.results) {
        if (controls.length && !controls.includes(r.controlId)) continue;
        lines += csvRecord([
          b.accountId,
          b.name,
          b.region,
          evaluation.level.levelKey,
          evaluation.level.source,
          r.controlId,
          r.required ? "true" : "false",
          r.status,
          r.observed,
          r.config?.verdict ?? "",
          r.config?.complianceType ?? "",
          r.waiverId ?? "",
          r.reason,
        ]);
      }
    }
    if (lines) yield lines;
  }
}

/** Rows in the page's bucket order, then by `tieBreak` within a bucket (the order the files have always had). */
function inPageOrder<T>(page: BucketKey[], rows: T[], key: (row: T) => string, tieBreak: (a: T, b: T) => number): T[] {
  // A bucket name can repeat within a page (a bucket deleted and re-created); its rows then sort with the last one.
  const order = new Map(page.map((b, i) => [keyOf(b.accountId, b.name), i]));
  const indexed = rows.map((row) => ({ row, at: order.get(key(row))! }));
  indexed.sort((a, b) => a.at - b.at || tieBreak(a.row, b.row));
  return indexed.map((x) => x.row);
}

const configJson = sortedKeysJson([
  "accountId",
  "region",
  "bucketName",
  "ruleName",
  "sourceIdentifier",
  "complianceType",
  "recordedAt",
  "annotation",
]);

async function* configFile(client: Db, context: EvaluationContext): AsyncGenerator<string> {
  yield "[\n";
  let first = true;
  const rowsOf = (page: BucketKey[]) =>
    query<{
      accountId: string;
      region: string;
      bucketName: string;
      ruleName: string;
      sourceIdentifier: string;
      complianceType: string;
      recordedAt: string;
      annotation: string | null;
    }>(
      client,
      `SELECT account_id AS "accountId", region, bucket_name AS "bucketName", rule_name AS "ruleName", source_identifier AS "sourceIdentifier",
              compliance_type AS "complianceType", ${isoOf("recorded_at")} AS "recordedAt", annotation
         FROM config_evaluation WHERE ${PAIRS_IN} AND recorded_at <= $3::timestamp`,
      [...pairsOf(page), context.at.toISOString()],
    );
  for await (const { page, data: rows } of pagesWith(context.bucketPages({ settings: false }), rowsOf)) {
    const sorted = inPageOrder(
      page,
      rows,
      (r) => keyOf(r.accountId, r.bucketName),
      (a, b) => a.region.localeCompare(b.region) || a.ruleName.localeCompare(b.ruleName),
    );
    let text = "";
    for (const r of sorted) {
      text += `${first ? "" : ",\n"}${configJson(r)}`;
      first = false;
    }
    yield text;
  }
  yield "\n]\n";
}

const macieJson = sortedKeysJson([
  "id",
  "accountId",
  "region",
  "bucketName",
  "type",
  "category",
  "severity",
  "severityScore",
  "count",
  "sensitiveDataCategories",
  "detectionTypes",
  "createdAt",
  "archived",
]);

async function* macieFile(client: Db, context: EvaluationContext): AsyncGenerator<string> {
  yield "[\n";
  let first = true;
  const rowsOf = (page: BucketKey[]) =>
    query<{
      id: string;
      accountId: string;
      region: string;
      bucketName: string;
      type: string;
      category: string;
      severity: string;
      severityScore: number;
      count: number;
      sensitiveDataCategories: string[];
      detectionTypes: string[];
      createdAt: string;
      archived: boolean;
    }>(
      client,
      `SELECT id, account_id AS "accountId", region, bucket_name AS "bucketName", type, category, severity, severity_score AS "severityScore", count,
              sensitive_data_categories AS "sensitiveDataCategories", detection_types AS "detectionTypes", ${isoOf("created_at")} AS "createdAt", archived
         FROM macie_finding WHERE ${PAIRS_IN} AND created_at <= $3::timestamp`,
      [...pairsOf(page), context.at.toISOString()],
    );
  for await (const { page, data: rows } of pagesWith(context.bucketPages({ settings: false }), rowsOf)) {
    const sorted = inPageOrder(
      page,
      rows,
      (r) => keyOf(r.accountId, r.bucketName),
      (a, b) => a.id.localeCompare(b.id),
    );
    let text = "";
    for (const r of sorted) {
      text += `${first ? "" : ",\n"}${macieJson(r)}`;
      first = false;
    }
    yield text;
  }
  yield "\n]\n";
}

async function* waiversFile(client: Db, context: EvaluationContext, controls: string[]): AsyncGenerator<string> {
  yield csvRecord([
    "waiver_id",
    "account_id",
    "bucket",
    "control_id",
    "reason",
    "owner",
    "proposed_at",
    "approved_at",
    "expires_at",
  ]);
  const waiversOf = (page: BucketKey[]) =>
    activeWaivers(
      client,
      page.map((b) => b.id),
      { at: context.at, snapshot: true },
    );
  for await (const { page, data: waivers } of pagesWith(context.bucketPages({ settings: false }), waiversOf)) {
    const byId = new Map(page.map((b) => [b.id, b]));
    const rows = waivers.filter((w) => !controls.length || controls.includes(w.controlId));
    yield rows
      .map((w) =>
        csvRecord([
          w.id,
          byId.get(w.bucketId)!.accountId,
          byId.get(w.bucketId)!.name,
          w.controlId,
          w.reason,
          w.owner,
          iso(w.proposedAt),
          iso(w.decidedAt),
          iso(w.expiresAt),
        ]),
      )
      .join("");
  }
}

/**
 * When the snapshot's account posture was settled: the account controls are evaluated org-wide right after a run
 * finishes (lib/evaluation/evaluate-account-controls.ts), so the verdicts of run R are those in force once R's own
 * evaluation wrote — the latest version it opened — or at R's end when it changed nothing. Fixed once R's
 * evaluation has run: later evaluations only open versions after it.
 */
async function accountPostureAt(client: Db, snap: Snapshot): Promise<string> {
  const rows = await query<{ at: string }>(
    client,
    `SELECT ${isoOf("GREATEST($2::timestamp, max(valid_from))")} AS at
       FROM account_control_result_history WHERE sync_run_id = $1::uuid`,
    [snap.syncRunId, snap.finishedAt.toISOString()],
  );
  return rows[0]!.at;
}

/**
 * account-posture.csv: each account control's verdict for the scope's accounts as of the snapshot (the version of
 * account_control_result_history valid then), in account and control order; `since` is when that verdict was
 * reached. Accounts unlinked by then are left out. Level and control filters are bucket filters and do not apply.
 */
async function* accountPostureFile(
  client: Db,
  scope: { accounts: string[]; ous: string[] },
  at: string,
): AsyncGenerator<string> {
  yield csvRecord(["account_id", "control_id", "status", "reason", "evidence", "since", "sync_run_id", "as_of"]);
  const params: unknown[] = [at];
  const param = (value: unknown) => `$${params.push(value)}`;
  let where = "";
  if (scope.accounts.length) where += ` AND h.account_id = ANY(${param(scope.accounts)}::varchar[])`;
  if (scope.ous.length)
    where += ` AND EXISTS (SELECT 1 FROM unnest(${param(scope.ous)}::text[]) o WHERE a.ou_path = o OR a.ou_path LIKE o || '/%')`;
  // Account controls are a handful per account: the whole scope's rows are few enough for one read.
  const rows = await query<{
    account_id: string;
    control_id: string;
    status: string;
    reason: string;
    evidence: unknown;
    since: string;
    sync_run_id: string | null;
  }>(
    client,
    `SELECT h.account_id, h.control_id, h.status, h.reason, h.evidence, ${isoOf("h.valid_from")} AS since, h.sync_run_id
       FROM account_control_result_history h JOIN account a ON a.id = h.account_id
      WHERE h.valid_from <= $1::timestamp AND (h.valid_to IS NULL OR h.valid_to > $1::timestamp)
        AND (a.unlinked_at IS NULL OR a.unlinked_at > $1::timestamp) ${where}
      ORDER BY h.account_id, h.control_id`,
    params,
  );
  let text = "";
  for (const r of rows)
    text += csvRecord([
      r.account_id,
      r.control_id,
      r.status,
      r.reason,
      stableStringify(r.evidence),
      r.since,
      r.sync_run_id ?? "",
      at,
    ]);
  if (text) yield text;
}

/**
 * third-parties.csv: the register as of the snapshot — per scope bucket (bucket order) and outsider, the version of
 * bucket_external_access_history valid then, the vendor name an admin had given the account by then
 * (known_vendor_name) and when Custody first saw the outsider, if by then.
 */
async function* thirdPartiesFile(client: Db, context: EvaluationContext): AsyncGenerator<string> {
  yield csvRecord([
    "principal",
    "kind",
    "vendor",
    "first_seen_at",
    "bucket_account_id",
    "bucket",
    "region",
    "read",
    "write",
    "key_only",
    "reason",
  ]);
  const T = context.at.toISOString();
  const rowsOf = (page: BucketKey[]) =>
    query<{
      bucket_id: number;
      principal: string;
      kind: string;
      vendor: string | null;
      first_seen_at: string | null;
      read: string | null;
      write: string | null;
      key_only: boolean;
      reason: string;
    }>(
      client,
      `SELECT h.bucket_id, h.principal, h.kind, v.name AS vendor, h.read, h.write, h.key_only, h.reason,
              CASE WHEN p.first_seen_at <= $2::timestamp THEN ${isoOf("p.first_seen_at")} END AS first_seen_at
         FROM bucket_external_access_history h
         LEFT JOIN external_principal p ON p.principal = h.principal
         LEFT JOIN LATERAL (SELECT n.name FROM known_vendor_name n
                             WHERE n.account_id = h.principal AND n.named_at <= $2::timestamp
                             ORDER BY n.named_at DESC, n.id DESC LIMIT 1) v ON true
        WHERE h.bucket_id = ANY($1::int[])
          AND h.valid_from <= $2::timestamp AND (h.valid_to IS NULL OR h.valid_to > $2::timestamp)`,
      [page.map((b) => b.id), T],
    );
  for await (const { page, data: rows } of pagesWith(context.bucketPages({ settings: false }), rowsOf)) {
    const byId = new Map(page.map((b, i) => [b.id, { b, i }]));
    const sorted = rows
      .filter((r) => byId.has(r.bucket_id))
      .sort((x, y) => byId.get(x.bucket_id)!.i - byId.get(y.bucket_id)!.i || (x.principal < y.principal ? -1 : 1));
    let text = "";
    for (const r of sorted) {
      const b = byId.get(r.bucket_id)!.b;
      text += csvRecord([
        r.principal,
        r.kind,
        r.vendor ?? "",
        r.first_seen_at ?? "",
        b.accountId,
        b.name,
        b.region,
        r.read ?? "",
        r.write ?? "",
        r.key_only ? "true" : "false",
        r.reason,
      ]);
    }
    if (text) yield text;
  }
}

/** The scope as recorded: sorted and de-duplicated, so equal requests describe themselves equally. */
export function normalizeScope(scope: EvidenceRequest): EvidenceRequest {
  const norm = <T extends string>(xs: T[]) => [...new Set(xs)].sort();
  return {
    syncRunId: scope.syncRunId,
    accounts: norm(scope.accounts),
    ous: norm(scope.ous),
    levels: norm(scope.levels),
    controls: norm(scope.controls),
  };
}

/**
 * Stream the bundle into `out`. `onManifest` runs once every data file is hashed, before manifest.json is written
 * (the caller records the bundle there). Resolves when the ZIP is complete.
 */
export async function writeEvidenceBundle(
  client: Db,
  args: {
    request: EvidenceRequest;
    createdBy: { id: string; email: string };
    createdAt: Date;
    /** The format to write (a rebuild: the one the bundle was issued in); default the current one. */
    format?: string;
    out: Writable;
    onManifest?: (result: BundleResult) => Promise<void>;
    /**
     * The request's snapshot, when the caller resolved it already (the DAL does, to answer 4xx before a byte): the
     * worker thread then sends no query through Prisma at all, and never loads its query compiler.
     */
    snapshot?: Snapshot;
  },
): Promise<BundleResult> {
  const format = args.format ?? BUNDLE_FORMAT;
  if (format !== BUNDLE_FORMAT && format !== FORMAT_1) throw new EvidenceError(`unknown bundle format ${format}`);
  const scope = normalizeScope(args.request);
  const snap =
    args.snapshot?.syncRunId === scope.syncRunId ? args.snapshot : await resolveSnapshot(client, scope.syncRunId);
  const context = await loadEvaluationContext(
    client,
    { evidence: { accounts: scope.accounts, ous: scope.ous, levels: scope.levels } },
    { at: snap.finishedAt, schemeVersion: snap.schemeVersion, scheme: snap.scheme },
  );
  const postureAt = await accountPostureAt(client, snap);
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const failed = new Promise<never>((_, reject) => archive.on("error", reject));
  failed.catch(() => undefined);
  archive.pipe(args.out);
  const date = snap.finishedAt; // entry timestamps from the snapshot, not the clock
  const counter = { buckets: 0 };
  const files: BundleFile[] = [];

  const allSources: [string, () => AsyncGenerator<string> | Generator<string>][] = [
    [
      "scheme.json",
      function* () {
        yield `${stableStringify({ version: snap.schemeVersion, scheme: JSON.parse(exportClassificationScheme(snap.scheme)) })}\n`;
      },
    ],
    ["bucket-settings.json", () => bucketSettingsFile(context)],
    ["control-matrix.csv", () => controlMatrixFile(context, scope.controls, counter)],
    ["config-evaluations.json", () => configFile(client, context)],
    ["macie-findings.json", () => macieFile(client, context)],
    ["waivers.csv", () => waiversFile(client, context, scope.controls)],
    ["account-posture.csv", () => accountPostureFile(client, scope, postureAt)],
    ["third-parties.csv", () => thirdPartiesFile(client, context)],
  ];
  const sources = format === FORMAT_1 ? allSources.filter(([name]) => FORMAT_1_FILES.includes(name)) : allSources;
  for (const [name, make] of sources) {
    const hash = createHash("sha256");
    let bytes = 0;
    const gen = make();
    const emit = (text: string) => {
      const buf = Buffer.from(text, "utf8");
      hash.update(buf);
      bytes += buf.length;
      return buf;
    };
    // The generators yield one small string per row; the ZIP gets ~64 KB chunks (each chunk costs a stream step and
    // a zlib call, so a million one-row chunks cost more than the rows).
    const hashed = async function* () {
      let pending = "";
      for await (const text of gen) {
        pending += text;
        if (pending.length >= CHUNK_CHARS) {
          yield emit(pending);
          pending = "";
        }
      }
      if (pending) yield emit(pending);
    };
    const entered = new Promise<void>((resolve) => {
      const onEntry = (e: { name: string }) => {
        if (e.name === name) {
          archive.off("entry", onEntry);
          resolve();
        }
      };
      archive.on("entry", onEntry);
    });
    archive.append(Readable.from(hashed()), { name, date });
    await Promise.race([entered, failed]);
    files.push({ name, sha256: hash.digest("hex"), bytes });
  }

  const incomplete = await incompleteAccounts(client, snap, scope);
  const manifest = {
    format,
    createdAt: args.createdAt.toISOString(),
    createdBy: args.createdBy.email,
    snapshot: { syncRunId: snap.syncRunId, finishedAt: snap.finishedAt.toISOString(), status: snap.status },
    schemeVersion: snap.schemeVersion,
    filters: { accounts: scope.accounts, ous: scope.ous, levels: scope.levels, controls: scope.controls },
    buckets: counter.buckets,
    // A partial snapshot names what it lacks: each account of the scope with every region and collector that
    // could not be read in that run, and why. Their buckets are as last read before it.
    incompleteAccounts: incomplete,
    files,
    limitations: format === FORMAT_1 ? LIMITATIONS_1 : BUNDLE_LIMITATIONS,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const result: BundleResult = {
    manifest,
    manifestSha256: createHash("sha256").update(manifestText).digest("hex"),
    bucketCount: counter.buckets,
    files,
  };
  await args.onManifest?.(result);
  archive.append(manifestText, { name: "manifest.json", date });
  await Promise.race([archive.finalize(), failed]);
  return result;
}
