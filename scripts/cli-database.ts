/** Shared start-up for the account and sync CLIs: the database (migrated) and a Prisma client. */
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { resolveDatabase, type ResolvedDatabase } from "@/lib/db/resolve-database";
import { applyMigrations } from "@/lib/db/schema-engine";
import { isAppError } from "@/lib/errors";

export async function openDatabase(): Promise<{ database: ResolvedDatabase; prisma: Db; close(): Promise<void> }> {
  // Beside a running `npm start` on the embedded database, use the Postgres it serves.
  const database = await resolveDatabase({ attachToRunning: true });
  await applyMigrations(database.url);
  const prisma = createPrismaClient(database.url);
  return {
    database,
    prisma,
    async close() {
      await prisma.$disconnect();
      await database.stop();
    },
  };
}

/** One line for the user: AppErrors and zod messages as they are, anything else with its name. */
export function describeCliError(error: unknown): string {
  if (isAppError(error)) return error.message;
  if (
    error &&
    typeof error === "object" &&
    "issues" in error &&
    Array.isArray((error as { issues: unknown[] }).issues)
  ) {
    return (error as { issues: { message: string }[] }).issues.map((i) => i.message).join("\n");
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Print a connection test's outcome (and any warning) the same way for every account command; true when it passed. */
export function printConnectionTest(
  result: { ok: true; callerArn: string; warning: string | null } | { ok: false; code: string; explanation: string },
): boolean {
  if (result.ok) {
    console.log(`Connection OK: ${result.callerArn}`);
    if (result.warning) console.log(`Warning: ${result.warning}`);
    return true;
  }
  console.log(`Connection failed (${result.code}): ${result.explanation}`);
  return false;
}

/**
 * Open the database, run one command's work, close it and exit: the work's exit code (0 when it returns nothing),
 * or 1 with the error in one line. Every account command is this shape.
 */
export async function runWithDatabase(
  work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<number | void>,
): Promise<never> {
  const db = await openDatabase();
  let code = 0;
  try {
    code = (await work(db)) ?? 0;
  } catch (error) {
    console.error(describeCliError(error));
    code = 1;
  } finally {
    await db.close();
  }
  process.exit(code);
}
