/**
 * A sync worker in a process of its own, for tests that kill it mid-sync (tests/integration/sync-interrupted.test.ts).
 * Every fixture AWS call takes a second, so an account sync lasts far longer than the test waits.
 * Env: DATABASE_URL; FIXTURE_SEED, FIXTURE_ACCOUNTS (the estate the test created accounts from); RETRY_LIMIT.
 */
import { createPrismaClient } from "@/lib/db/prisma";
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { startSyncWorker } from "@/lib/sync/jobs/worker";

const url = process.env.DATABASE_URL!;
const estate = generateFixtureEstate({
  seed: Number(process.env.FIXTURE_SEED),
  accounts: Number(process.env.FIXTURE_ACCOUNTS),
  bucketsPerAccount: 4,
  regions: ["us-east-1"],
  scenario: "generic",
});
const prisma = createPrismaClient(url);
await startSyncWorker({
  client: prisma,
  databaseUrl: url,
  connectorFactory: () => createFixtureConnector(estate, { latencyMs: 1000 }),
  concurrency: 4,
  globalConcurrency: 8,
  pollingIntervalSeconds: 0.5,
  lockWaitMs: 50,
  progressIntervalMs: 100,
  schedule: false,
  retryLimit: Number(process.env.RETRY_LIMIT ?? 0),
  syncOptions: { regions: ["us-east-1"] },
  log: (line) => console.log(line),
});
console.log("worker ready");
