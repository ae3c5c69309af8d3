/**
 * A fresh database for a benchmark: a scratch database on DATABASE_URL's server (or the local Postgres at
 * 127.0.0.1:5432 when reachable), else an embedded Postgres in a temporary folder. Dropped at the end.
 */
import pg from "pg";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { createTestDatabase } from "../../tests/support/test-database";

async function reachable(url: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function benchDatabase(purpose: string): Promise<{ url: string; prisma: Db; stop(): Promise<void> }> {
  const local = "postgresql://postgres@127.0.0.1:5432/postgres";
  if (!process.env.DATABASE_URL && (await reachable(local))) process.env.DATABASE_URL = local;
  // BENCH_DB_TAG names the scratch database after whoever runs it (several people share one Postgres server).
  const tag = process.env.BENCH_DB_TAG?.replace(/[^a-z0-9_]/gi, "").toLowerCase();
  const db = await createTestDatabase(tag ? `bench_${tag}_${purpose}` : `bench_${purpose}`);
  const prisma = createPrismaClient(db.url, { poolSize: 16 });
  console.log(
    `database: ${process.env.DATABASE_URL ? "scratch database on " + new URL(process.env.DATABASE_URL).host : "embedded Postgres"}`,
  );
  return {
    url: db.url,
    prisma,
    async stop() {
      await prisma.$disconnect();
      await db.stop();
    },
  };
}
