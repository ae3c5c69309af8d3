/**
 * The web app's sessions plan no parallel query (createPrismaClient's `parallelQuery: false`, used by lib/server/db.ts):
 * a page's indexed reads of a few rows paid the parallel workers' start, 57–73 ms for a control-filtered bucket list
 * at 1,000,000 buckets against 2 ms serially. Other clients keep Postgres's default.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
beforeAll(async () => {
  db = await scratchDb("prisma_sessions", { migrate: false });
});
afterAll(async () => {
  await db.drop();
});

const setting = async (client: ReturnType<typeof createPrismaClient>) => {
  const [row] = await client.$queryRaw<{ v: string }[]>`SELECT current_setting('max_parallel_workers_per_gather') AS v`;
  return row!.v;
};

it("turns parallel plans off only where asked", async () => {
  const serial = createPrismaClient(db.url, { parallelQuery: false, poolSize: 2 });
  try {
    // Every session of the pool, not only the first: several at once.
    const values = await Promise.all([setting(serial), setting(serial), setting(serial)]);
    expect(values).toEqual(["0", "0", "0"]);
  } finally {
    await serial.$disconnect();
  }
  expect(await setting(db.prisma)).not.toBe("0");
});
