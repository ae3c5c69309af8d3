/** npm run demo:load — load the demo organisation into DATABASE_URL (or the embedded database) on request. */
import { createPrismaClient } from "@/lib/db/prisma";
import { resolveDatabase } from "@/lib/db/resolve-database";
import { applyMigrations } from "@/lib/db/schema-engine";
import { demoLoginLines, loadDemoOrganisation } from "@/lib/demo/load-demo";

const db = await resolveDatabase();
let code = 0;
try {
  await applyMigrations(db.url);
  const prisma = createPrismaClient(db.url);
  if ((await prisma.account.count({ where: { roleArn: { contains: ":role/CustodyDemo" } } })) > 0) {
    console.log("The demo organisation is already loaded; nothing to do.");
  } else {
    const summary = await loadDemoOrganisation(prisma, { log: (l) => console.log(l) });
    console.log(
      `Loaded ${summary.accounts} accounts and ${summary.buckets} buckets (${summary.failedAccounts} could not be read).`,
    );
  }
  for (const line of await demoLoginLines(prisma)) console.log(line);
  await prisma.$disconnect();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await db.stop();
}
process.exit(code);
