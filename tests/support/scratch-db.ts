/** Per-test-file scratch database on the suite's server, migrated, with a Prisma client. */
import { inject } from "vitest";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { createScratchDatabase } from "@/lib/db/postgres-admin";
import { applyMigrations } from "@/lib/db/schema-engine";

export async function scratchDb(
  purpose: string,
  options: { migrate?: boolean } = {},
): Promise<{ url: string; prisma: Db; drop(): Promise<void> }> {
  const scratch = await createScratchDatabase(inject("testServerUrl"), purpose);
  if (options.migrate !== false) await applyMigrations(scratch.url);
  const prisma = createPrismaClient(scratch.url);
  return {
    url: scratch.url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await scratch.drop();
    },
  };
}
