/**
 * One CSV record of string fields, exactly as csv-stringify writes it with its defaults (quote a field that holds a
 * `"`, a `,` or a line break; double the quotes; `\n` after the record) — without its per-field option handling,
 * which dominated the time of a 1.7-million-line control matrix. csv-record.test.ts holds the two to the same bytes.
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvRecord(fields: readonly string[]): string {
  let line = "";
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i) line += ",";
    line += NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  }
  return `${line}\n`;
}
