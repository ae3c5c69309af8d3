import { describe, expect, it, vi } from "vitest";
import { keysetPages } from "./keyset-pages";

const ids = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
/** A descending keyset query over `ids` (like the audit log's: id < after). */
const readAfter = vi.fn(async (after: number | null, limit: number) =>
  [...ids]
    .reverse()
    .filter((r) => after === null || r.id < after)
    .slice(0, limit),
);

async function all<T>(pages: AsyncGenerator<T[]>) {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("keysetPages", () => {
  it("walks the query page by page from each page's last row, and stops at a short page", async () => {
    readAfter.mockClear();
    const pages = await all(keysetPages(readAfter, (last) => last.id, 3));
    expect(pages.map((p) => p.map((r) => r.id))).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    expect(readAfter.mock.calls).toEqual([
      [null, 3],
      [5, 3],
      [2, 3],
    ]);
  });

  it("yields no empty page: an exact multiple ends with one empty read, no rows at all yields nothing", async () => {
    expect((await all(keysetPages(readAfter, (last) => last.id, 7))).map((p) => p.length)).toEqual([7]);
    expect(
      await all(
        keysetPages(
          async () => [],
          (last: { id: number }) => last.id,
          5,
        ),
      ),
    ).toEqual([]);
  });

  it("reads the next page only when it is asked for", async () => {
    readAfter.mockClear();
    const pages = keysetPages(readAfter, (last) => last.id, 3);
    await pages.next();
    expect(readAfter).toHaveBeenCalledTimes(1);
    await pages.return(undefined);
    expect(readAfter).toHaveBeenCalledTimes(1);
  });
});
