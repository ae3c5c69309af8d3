import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, diffDatabaseToSchema } from "@/lib/db/schema-engine";
import { scratchDb } from "../support/scratch-db";

describe("migrations", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  beforeAll(async () => {
    db = await scratchDb("migrations", { migrate: false });
  });
  afterAll(async () => db.drop());

  it("apply to an empty database, then apply nothing more the second time", async () => {
    const first = await applyMigrations(db.url);
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.url)).toEqual([]);
    const rows = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(first);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("produce exactly what prisma/schema.prisma declares (no drift)", async () => {
    // If this fails, run `npm run db:migration:create -- <name>` and commit the new migration.
    expect(await diffDatabaseToSchema(db.url)).toBe("");
  });

  it("detect drift when the database differs from schema.prisma", async () => {
    await db.prisma.$executeRawUnsafe(`ALTER TABLE "account" ADD COLUMN "drift_probe" TEXT`);
    const sql = await diffDatabaseToSchema(db.url);
    await db.prisma.$executeRawUnsafe(`ALTER TABLE "account" DROP COLUMN "drift_probe"`);
    expect(sql).toMatch(/DROP COLUMN "drift_probe"/);
  });
});
