/**
 * Issue 14 §7: a CLI-only installation (db:migrate → accounts:add → sync, never `npm start`) evaluates against the
 * default scheme, recorded as version 1 with its levels — not "scheme version 0" with no levels.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
beforeAll(async () => {
  db = await scratchDb("first_run");
});
afterAll(async () => {
  await db.drop();
});

it("the first evaluation on a database nobody started creates the default scheme first", async () => {
  expect(await db.prisma.schemeVersion.count()).toBe(0);
  await evaluateBuckets(db.prisma);
  const versions = await db.prisma.schemeVersion.findMany({ select: { version: true } });
  expect(versions).toEqual([{ version: 1 }]);
  const levels = await db.prisma.$queryRaw<{ key: string }[]>`SELECT key FROM classification_level ORDER BY rank DESC`;
  expect(levels.map((l) => l.key)).toEqual(["high", "medium", "low"]);
});
