import "server-only";
/** The app's one Prisma client (per server process). Only lib/server talks to Prisma for the app. */
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { env } from "@/lib/env";

const globalForDb = globalThis as unknown as { custodyDb?: Db };

export function db(): Db {
  // Pages read a few indexed rows at a time: no parallel plans (see createPrismaClient).
  globalForDb.custodyDb ??= createPrismaClient(env().DATABASE_URL, { parallelQuery: false });
  return globalForDb.custodyDb;
}
