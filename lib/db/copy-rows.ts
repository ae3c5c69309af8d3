/**
 * COPY rows into a table over an open pg connection (text format). The load step stages large payloads this way:
 * it is the cheapest path into Postgres (no per-row statements, no array-literal escaping of big JSON strings).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** COPY text format: backslash, tab, newline and carriage return are escaped; null is \N. */
export function copyField(value: string | number | boolean | null | Date): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  const s = String(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : s;
}

export async function copyRows(
  conn: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly (string | number | boolean | null | Date)[]>,
): Promise<void> {
  function* lines() {
    let chunk = "";
    for (const row of rows) {
      chunk += `${row.map(copyField).join("\t")}\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
  const quoted = columns.map((c) => `"${c}"`).join(", ");
  await pipeline(Readable.from(lines()), conn.query(copyFrom(`COPY ${table} (${quoted}) FROM STDIN`)));
}
