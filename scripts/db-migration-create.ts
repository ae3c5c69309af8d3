/**
 * npm run db:migration:create -- <name>
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes a database built from the
 * existing migrations to what prisma/schema.prisma declares. Uses DATABASE_URL's server, else the embedded one,
 * and a scratch database that is dropped afterwards.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createScratchDatabase } from "@/lib/db/postgres-admin";
import { resolveDatabase } from "@/lib/db/resolve-database";
import { applyMigrations, diffDatabaseToSchema, LOCKFILE, MIGRATIONS_DIR } from "@/lib/db/schema-engine";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]{1,60}$/.test(name)) {
  console.error("Usage: npm run db:migration:create -- <name>   (lower-case letters, digits and _, e.g. add_waivers)");
  process.exit(2);
}

const db = await resolveDatabase();
const scratch = await createScratchDatabase(db.serverUrl, "migration");
let code = 0;
try {
  await applyMigrations(scratch.url);
  const sql = await diffDatabaseToSchema(scratch.url);
  if (!sql.trim()) {
    console.log("schema.prisma and the migrations already agree: no migration written.");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    await writeFile(
      path.join(MIGRATIONS_DIR, "migration_lock.toml"),
      `# Written by Custody's migration tool\n${LOCKFILE}`,
    );
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await scratch.drop();
  await db.stop();
}
process.exit(code);
