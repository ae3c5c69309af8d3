/**
 * THE keyset pager behind every streamed export (the bucket export, the audit-log and waiver CSVs): a query read
 * page by page, each page starting right after the previous page's last row — an index range scan however deep,
 * never an OFFSET — and the next page read only when the consumer asks for it (see `startCsvStream`).
 */

/**
 * `read(after, limit)` returns up to `limit` rows that follow the cursor `after` (null: from the start) in the
 * query's order; `cursorOf` is the cursor of a page's last row. A page shorter than `limit` is the last one; empty
 * pages are not yielded.
 */
export async function* keysetPages<Row, Cursor>(
  read: (after: Cursor | null, limit: number) => Promise<Row[]>,
  cursorOf: (last: Row) => Cursor,
  limit: number,
): AsyncGenerator<Row[]> {
  let after: Cursor | null = null;
  for (;;) {
    const page = await read(after, limit);
    if (page.length) yield page;
    if (page.length < limit) return;
    after = cursorOf(page[page.length - 1]!);
  }
}
