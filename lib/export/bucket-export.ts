/**
 * THE bucket export: one keyset-paged query over a bucket view (the bucket list's where-clause and sort), and its
 * CSV and JSON encodings. The app's export route reaches it through the DAL (`startBucketExport`, which authorizes
 * and audits first); `npm run buckets:export` (an operator with database access) calls it directly. Both stream:
 * one page of rows is in memory at a time, and the next page is read only when the previous one has been taken.
 */
import pg from "pg";
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import { csvChunks, startCsvStream, type CsvCell, type CsvRows } from "@/lib/export/csv";
import { keysetPages } from "@/lib/export/keyset-pages";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BucketCursor } from "@/lib/schemas/bucket-query";

export const EXPORT_COLUMNS = [
  "id",
  "arn",
  "name",
  "accountId",
  "accountName",
  "ouPath",
  "region",
  "level",
  "levelSource",
  "classified",
  "exposure",
  "publicWrite",
  "riskScore",
  "failingRequired",
  "unknownRequired",
  "waivedRequired",
  "compliant",
  "macieMaxSeverity",
  "macieFindings",
  "maciePolicyFindings",
  "accountBlockPublicAccess",
  "configDisagreements",
  "owner",
  "tags",
  "lastReadAt",
  "evaluatedAt",
] as const;

export type BucketExportRow = Record<
  (typeof EXPORT_COLUMNS)[number],
  string | number | boolean | null | Record<string, string>
> & {
  /** With `perControl`: controlId → status (pass | fail | unknown | waived | not-required). */
  controls?: Record<string, string>;
  /** With `perControl`: controlId → Config verdict (agree | disagree | not-comparable | rule-not-deployed | no-data). */
  configVerdicts?: Record<string, string>;
  /**
   * With `perControl`: every control's full result — whether the bucket's level requires it, the status that
   * counts (not-required for a control the level does not require), Custody's own verdict whatever the level
   * (observed: pass | fail | unknown), and Config's own compliance value beside the comparison.
   */
  controlResults?: Record<string, ControlResultExport>;
  /** With `settings`: the bucket's current settings document. */
  settings?: unknown;
};

export interface ControlResultExport {
  required: boolean;
  status: string;
  observed: string;
  configVerdict: string | null;
  configCompliance: string | null;
}

export interface BucketExportOptions {
  /** Add each control's status and Config verdict (CSV: one `control:<id>` and one `config:<id>` column per control). */
  perControl?: boolean;
  /** Add the current settings document (JSON only: it does not fit a CSV cell usefully). */
  settings?: boolean;
  /** Rows per keyset page. */
  batch?: number;
  /** Rows per encoded chunk (default 100; tests use fewer to see chunks go by). */
  rowsPerChunk?: number;
}

/** The app's Export button: every control's result (required or not, observed, Config's compliance) on each row. */
export const APP_EXPORT_OPTIONS = { perControl: true } as const satisfies BucketExportOptions;

/**
 * A view (the DAL's `bucketExportView`: the bucket list's where-clause and sort). `page` is the SQL of one page of
 * `limit` rows with the given columns (over `bucket b` and `account a`) plus its `sort_key` and `sort_account`,
 * starting after `cursor`; `cursorOf` makes the cursor of a page's last row.
 */
export interface BucketExportView {
  page(cursor: BucketCursor | null, limit: number, columns: Prisma.Sql): Prisma.Sql;
  cursorOf(row: { id: number; sort_key: string | number | null; sort_account: string | null }): BucketCursor;
}

const CONTROL_IDS = CONTROL_CATALOG.map((c) => c.id);

type DbRow = {
  id: number;
  arn: string;
  name: string;
  account_id: string;
  account_name: string;
  ou_path: string;
  region: string;
  level_key: string | null;
  level_source: string;
  classified: boolean;
  exposure: string;
  public_write: string;
  risk_score: number;
  failing_required: number;
  unknown_required: number;
  waived_required: number;
  compliant: boolean;
  macie_max_severity: number;
  macie_findings: number;
  macie_policy_findings: number;
  account_bpa: unknown;
  config_disagreements: number;
  owner_tag: string | null;
  tags: Record<string, string> | null;
  last_read_at: string;
  evaluated_at: string | null;
  settings: unknown;
  sort_key: string | number | null;
  sort_account: string | null;
};

/**
 * Rows are read over a plain pg connection (lib/db/prisma.ts `bulkPoolFor`) with the same SQL: Prisma's raw-query
 * path made the server's memory grow by about three times as much for a 100,000-row export (docs/performance.md,
 * benchmark 4). Timestamps (timestamp(3), UTC) are formatted by Postgres as Date.toISOString() writes them.
 */
async function query<T>(client: Db | pg.Pool, sql: Prisma.Sql): Promise<T[]> {
  const pool = client instanceof pg.Pool ? client : bulkPoolFor(client);
  return (await pool.query({ text: sql.text, values: sql.values, types: TIMESTAMPS_AS_TEXT })).rows as T[];
}
/**
 * timestamp (without time zone) as Postgres writes it, not as a Date in this process's time zone: a page's sort key
 * (last read) goes back into the next page's keyset as text and casts to the same instant.
 */
const TIMESTAMPS_AS_TEXT = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};
const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The view's rows in its order, in pages of `batch` by keyset (sort key, id): each page is an index range scan
 * starting at the previous page's last row, however deep. With `perControl`, one more query per page reads the
 * page's control results. `client`: the app's Prisma client (its bulk pg pool is used), or a pg pool of its own (the
 * export worker, bucket-export-worker.ts, which opens no Prisma client).
 */
export async function* bucketExportRows(
  client: Db | pg.Pool,
  view: BucketExportView,
  options: BucketExportOptions = {},
): AsyncGenerator<BucketExportRow> {
  const batch = options.batch ?? 1000;
  const settings = options.settings
    ? Prisma.sql`(SELECT s.settings FROM bucket_state s WHERE s.id = b.current_state_id) AS settings`
    : Prisma.sql`NULL::jsonb AS settings`;
  // When Custody last evaluated the bucket: its verdict row is rewritten only when the verdict changes, and the
  // account's evaluated_at records the later evaluations that confirmed it (never evaluated stays null).
  const evaluatedAt = Prisma.sql`CASE WHEN b.evaluated_at IS NULL THEN NULL ELSE GREATEST(b.evaluated_at, a.evaluated_at) END`;
  const columns = Prisma.sql`b.id, b.arn, b.name, b.account_id, a.name AS account_name, a.ou_path, b.region, b.level_key,
    b.level_source, b.classified, b.exposure, b.public_write, b.risk_score, b.failing_required, b.unknown_required,
    b.waived_required, b.compliant, b.macie_max_severity, b.macie_findings, b.macie_policy_findings,
    a.s3_account_settings -> 'publicAccessBlock' AS account_bpa, b.config_disagreements, b.owner_tag, b.tags,
    ${iso(Prisma.sql`COALESCE(a.last_success_at, b.last_seen_at)`)} AS last_read_at, ${iso(evaluatedAt)} AS evaluated_at, ${settings}`;
  const pages = keysetPages(
    (after: BucketCursor | null, limit) => query<DbRow>(client, view.page(after, limit, columns)),
    (last) => view.cursorOf(last),
    batch,
  );
  for await (const rows of pages) {
    const controls = options.perControl
      ? await controlResultsOf(
          client,
          rows.map((r) => r.id),
        )
      : null;
    for (const r of rows) {
      const row: BucketExportRow = {
        id: r.id,
        arn: r.arn,
        name: r.name,
        accountId: r.account_id,
        accountName: r.account_name,
        ouPath: r.ou_path,
        region: r.region,
        level: r.level_key,
        levelSource: r.level_source,
        classified: r.classified,
        exposure: r.exposure,
        publicWrite: r.public_write,
        riskScore: r.risk_score,
        failingRequired: r.failing_required,
        unknownRequired: r.unknown_required,
        waivedRequired: r.waived_required,
        compliant: r.compliant,
        macieMaxSeverity: r.macie_max_severity,
        macieFindings: r.macie_findings,
        maciePolicyFindings: r.macie_policy_findings,
        accountBlockPublicAccess: accountBpaSummary(r.account_bpa),
        configDisagreements: r.config_disagreements,
        owner: r.owner_tag,
        tags: r.tags ?? {},
        lastReadAt: r.last_read_at,
        evaluatedAt: r.evaluated_at,
      };
      if (controls) {
        const mine = controls.get(r.id);
        row.controls = mine?.statuses ?? {};
        row.configVerdicts = mine?.verdicts ?? {};
        row.controlResults = mine?.results ?? {};
      }
      if (options.settings) row.settings = r.settings ?? null;
      yield row;
    }
  }
}

async function controlResultsOf(client: Db | pg.Pool, bucketIds: number[]) {
  const results = await query<{
    bucket_id: number;
    control_id: string;
    required: boolean;
    status: string;
    observed: string;
    config_verdict: string | null;
    config_compliance: string | null;
  }>(
    client,
    Prisma.sql`SELECT bucket_id, control_id, required, status, observed, config_verdict, config_compliance
                 FROM control_result WHERE bucket_id = ANY(${bucketIds}::int[])`,
  );
  const byBucket = new Map<
    number,
    { statuses: Record<string, string>; verdicts: Record<string, string>; results: Record<string, ControlResultExport> }
  >();
  for (const c of results) {
    let mine = byBucket.get(c.bucket_id);
    if (!mine) byBucket.set(c.bucket_id, (mine = { statuses: {}, verdicts: {}, results: {} }));
    mine.statuses[c.control_id] = c.status;
    if (c.config_verdict) mine.verdicts[c.control_id] = c.config_verdict;
    mine.results[c.control_id] = {
      required: c.required,
      status: c.status,
      observed: c.observed,
      configVerdict: c.config_verdict,
      configCompliance: c.config_compliance,
    };
  }
  return byBucket;
}

const BPA_FLAG_NAMES = {
  blockPublicAcls: "BlockPublicAcls",
  ignorePublicAcls: "IgnorePublicAcls",
  blockPublicPolicy: "BlockPublicPolicy",
  restrictPublicBuckets: "RestrictPublicBuckets",
} as const;

/**
 * The bucket's account-level Block Public Access as one cell: "all-on", "none" (not configured, or every flag off),
 * "partial: <the flags that are on>", or "unknown: <why it could not be read>" — never a guess.
 */
export function accountBpaSummary(setting: unknown): string {
  const s = setting as { status?: string; value?: Record<string, boolean>; reason?: string; errorCode?: string } | null;
  if (!s || !s.status) return "unknown: account settings have not been read yet";
  if (s.status === "absent") return "none";
  if (s.status !== "present" || !s.value)
    return `unknown: ${s.reason ?? "could not be read"}${s.errorCode && !(s.reason ?? "").includes(s.errorCode) ? ` (${s.errorCode})` : ""}`;
  const on = (Object.keys(BPA_FLAG_NAMES) as (keyof typeof BPA_FLAG_NAMES)[]).filter((k) => s.value![k] === true);
  if (on.length === 4) return "all-on";
  if (on.length === 0) return "none";
  return `partial: ${on.map((k) => BPA_FLAG_NAMES[k]).join(",")}`;
}

/** CSV columns: the export's columns, then (with `perControl`) one status and one Config column per control. */
export function bucketExportCsvColumns(options: Pick<BucketExportOptions, "perControl"> = {}): string[] {
  return [
    ...EXPORT_COLUMNS,
    ...(options.perControl
      ? [
          ...CONTROL_IDS.map((id) => `control:${id}`),
          ...CONTROL_IDS.map((id) => `config:${id}`),
          ...CONTROL_IDS.map((id) => `required:${id}`),
          ...CONTROL_IDS.map((id) => `observed:${id}`),
          ...CONTROL_IDS.map((id) => `configCompliance:${id}`),
        ]
      : []),
  ];
}

/** Rows per encoded chunk: one stream write per chunk instead of per row. */
const ROWS_PER_CHUNK = 100;

async function* chunksOf(
  rows: AsyncIterable<BucketExportRow>,
  rowsPerChunk = ROWS_PER_CHUNK,
): AsyncGenerator<BucketExportRow[]> {
  let chunk: BucketExportRow[] = [];
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length === rowsPerChunk) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** The rows as pages of CSV records, in bucketExportCsvColumns' order. */
async function* bucketExportCsvPages(
  rows: AsyncIterable<BucketExportRow>,
  options: Pick<BucketExportOptions, "perControl" | "rowsPerChunk">,
): AsyncGenerator<CsvRows> {
  for await (const chunk of chunksOf(rows, options.rowsPerChunk)) {
    yield chunk.map((r) => {
      const record: CsvCell[] = EXPORT_COLUMNS.map((c) => r[c]);
      if (options.perControl) {
        for (const id of CONTROL_IDS) record.push(r.controls?.[id] ?? "");
        for (const id of CONTROL_IDS) record.push(r.configVerdicts?.[id] ?? "");
        for (const id of CONTROL_IDS) record.push(r.controlResults?.[id]?.required ?? "");
        for (const id of CONTROL_IDS) record.push(r.controlResults?.[id]?.observed ?? "");
        for (const id of CONTROL_IDS) record.push(r.controlResults?.[id]?.configCompliance ?? "");
      }
      return record;
    });
  }
}

/** The rows as CSV text (lib/export/csv.ts: quoting and formula neutralisation), a header line first (also when there are no rows): `npm run buckets:export`. */
export function bucketExportCsv(
  rows: AsyncIterable<BucketExportRow>,
  options: Pick<BucketExportOptions, "perControl" | "rowsPerChunk"> = {},
): AsyncGenerator<string> {
  return csvChunks(bucketExportCsvColumns(options), bucketExportCsvPages(rows, options));
}

/** The same CSV as a response body (lib/export/csv.ts `startCsvStream`: the first page is read before the response starts). */
export function startBucketExportCsv(
  rows: AsyncGenerator<BucketExportRow>,
  options: Pick<BucketExportOptions, "perControl"> = {},
): Promise<ReadableStream<Uint8Array>> {
  return startCsvStream(bucketExportCsvColumns(options), bucketExportCsvPages(rows, options));
}

/** The rows as a JSON array, one row per line. */
export async function* bucketExportJson(
  rows: AsyncIterable<BucketExportRow>,
  options: Pick<BucketExportOptions, "rowsPerChunk"> = {},
): AsyncGenerator<string> {
  let first = true;
  yield "[\n";
  for await (const chunk of chunksOf(rows, options.rowsPerChunk)) {
    let text = "";
    for (const row of chunk) {
      text += `${first ? "" : ",\n"}${JSON.stringify(row)}`;
      first = false;
    }
    yield text;
  }
  yield first ? "]\n" : "\n]\n";
}
