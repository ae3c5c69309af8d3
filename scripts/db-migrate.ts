/** npm run db:migrate — apply pending migrations to DATABASE_URL (else the embedded database). */
import { resolveDatabase } from "@/lib/db/resolve-database";
import { createPrismaClient } from "@/lib/db/prisma";
import { applyMigrations } from "@/lib/db/schema-engine";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";

const db = await resolveDatabase();
let code = 0;
try {
  const applied = await applyMigrations(db.url);
  console.log(
    applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.",
  );
  // The default classification scheme exists from the start, whichever command runs next.
  const prisma = createPrismaClient(db.url);
  try {
    await ensureDefaultScheme(prisma);
  } finally {
    await prisma.$disconnect();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await db.stop();
}
process.exit(code);
