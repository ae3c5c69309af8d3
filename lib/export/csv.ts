/**
 * THE CSV writer: every CSV Custody writes goes through here — the bucket export (route and CLI), the audit-log and
 * waiver exports, and the evidence bundle's control-matrix.csv and waivers.csv — so quoting and formula
 * neutralisation cannot differ between them. Every streamed CSV export is `startCsvStream` over keyset pages
 * (lib/export/keyset-pages.ts).
 *
 * Quoting is csv-stringify's default, byte for byte (quote a field holding `"`, `,`, CR or LF; double the quotes;
 * `\n` after each record; csv.test.ts holds the two to the same bytes). It is written out here rather than calling
 * csv-stringify per record because its per-field option handling dominated the time of a 1.7-million-line control
 * matrix.
 *
 * Formula neutralisation (OWASP "CSV injection"): a text cell that starts with `=`, `+`, `-`, `@`, tab or carriage
 * return is written with a leading `'`, so Excel, LibreOffice and Google Sheets show it as text instead of running
 * it (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`, `@SUM(…)`). The decision on numbers: a cell Custody writes as a
 * number (risk score, counts — a JS number or bigint) is written as is, because a number cannot carry a formula and
 * prefixing `-5` would turn it into text for every consumer; text that merely looks like a number ("-5" typed into
 * a waiver reason or a tag) is prefixed like any other text, as OWASP recommends, since "-5+cmd|…" starts the
 * same way and a text cell cannot tell the two apart. Consumers that re-import the CSV strip one leading `'` from
 * text cells.
 */

export type CsvCell = string | number | bigint | boolean | null | undefined | Date | object;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * `value` as a spreadsheet will show it as text: `'` in front when it starts with a character a spreadsheet reads
 * as the start of a formula (`=`, `+`, `-`, `@`) or that hides one (tab, carriage return). Compared by char code:
 * this runs for every field of a 1.7-million-line control matrix.
 */
export function neutraliseFormula(value: string): string {
  const first = value.charCodeAt(0);
  return first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x09 || first === 0x0d
    ? `'${value}`
    : value;
}

/** One cell's text: numbers as written, booleans true/false, dates ISO, objects as JSON, empty for null; text neutralised. */
export function csvCellText(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return neutraliseFormula(value);
  if (value instanceof Date) return value.toISOString();
  return neutraliseFormula(JSON.stringify(value));
}

/** One CSV record (line) with its `\n`. */
export function csvRecord(cells: readonly CsvCell[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    const text = csvCellText(cells[i]);
    if (i) line += ",";
    line += NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return `${line}\n`;
}

/** Rows of cells, one record each. */
export type CsvRows = readonly (readonly CsvCell[])[];

/** Several records as one string. */
export function csvRecords(rows: CsvRows): string {
  let text = "";
  for (const row of rows) text += csvRecord(row);
  return text;
}

/** A CSV document as text chunks: the header line, then one chunk per page of rows. */
export async function* csvChunks(header: readonly string[], pages: AsyncIterable<CsvRows>): AsyncGenerator<string> {
  yield csvRecord(header);
  for await (const rows of pages) if (rows.length) yield csvRecords(rows);
}

/**
 * Text chunks as a byte stream, pull-based: the next chunk is produced (and the next page read from Postgres) only
 * when the client has taken the previous one, so a slow download holds one page in memory, never the whole export.
 * A client that goes away ends the generator (its `finally` blocks run).
 */
export function pullStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * THE streamed CSV export: the header, then page after page (read as the client takes them, see `pullStream`),
 * each page turned into records by `toRecords` (which may query too, e.g. the users a page of waivers names). The
 * first page is read and turned into records before this returns, so a query that fails at all fails here — while
 * the route can still answer a JSON error — instead of after a 200 and a header line.
 */
export function startCsvStream(
  header: readonly string[],
  pages: AsyncGenerator<CsvRows>,
): Promise<ReadableStream<Uint8Array>>;
export function startCsvStream<Row>(
  header: readonly string[],
  pages: AsyncGenerator<readonly Row[]>,
  toRecords: (page: readonly Row[]) => CsvRows | Promise<CsvRows>,
): Promise<ReadableStream<Uint8Array>>;
export async function startCsvStream(
  header: readonly string[],
  pages: AsyncGenerator<readonly unknown[]>,
  toRecords: (page: readonly unknown[]) => CsvRows | Promise<CsvRows> = (page) => page as CsvRows,
): Promise<ReadableStream<Uint8Array>> {
  async function* records(): AsyncGenerator<CsvRows> {
    for await (const page of pages) yield await toRecords(page);
  }
  const all = records();
  const first = await all.next();
  async function* fromFirst(): AsyncGenerator<CsvRows> {
    if (first.done) return;
    yield first.value;
    yield* all;
  }
  return pullStream(csvChunks(header, fromFirst()));
}
