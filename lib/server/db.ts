import "server-only";
/** The app's one Prisma client (per server process). Only lib/server talks to Prisma for the app. */
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { env } from "@/lib/env";

const globalForDb = globalThis as unknown as { custodyDb?: Db };

export function db(): Db {
  globalForDb.custodyDb ??= createPrismaClient(env().DATABASE_URL);
  return globalForDb.custodyDb;
}
