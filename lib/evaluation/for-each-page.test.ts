import { describe, expect, it } from "vitest";
import { forEachPage } from "./for-each-page";

async function* pagesOf(n: number, read: number[] = [], failAt?: number) {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error(`page ${i} could not be read`);
    read.push(i);
    yield i;
  }
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("forEachPage", () => {
  it("hands every page to exactly one worker, with at most `inFlight` at once", async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachPage(pagesOf(7), 2, async (page) => {
      most = Math.max(most, ++running);
      await tick();
      done.push(page);
      running--;
    });
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });

  it("starts no page after work fails, and re-throws that failure", async () => {
    const started: number[] = [];
    const read: number[] = [];
    await expect(
      forEachPage(pagesOf(10, read), 2, async (page) => {
        started.push(page);
        await tick();
        if (page === 1) throw new Error("write failed");
      }),
    ).rejects.toThrow("write failed");
    expect(Math.max(...started)).toBeLessThanOrEqual(2);
    expect(read.length).toBeLessThan(10);
  });

  it("re-throws a failure to read the next page", async () => {
    const done: number[] = [];
    await expect(forEachPage(pagesOf(5, [], 3), 1, async (page) => void done.push(page))).rejects.toThrow(
      "page 3 could not be read",
    );
    expect(done).toEqual([0, 1, 2]);
  });
});
