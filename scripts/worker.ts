/**
 * npm run worker — an extra sync worker against the same database as `npm start` (DATABASE_URL). Start as many as
 * you like, on as many machines: pg-boss hands each account job to exactly one of them, and the global limit
 * (CUSTODY_SYNC_GLOBAL_CONCURRENCY) holds across all of them. Ctrl-C finishes running jobs, then stops.
 */
import { createPrismaClient } from "@/lib/db/prisma";
import { configuredDatabaseUrl, orExitOnInvalidEnv } from "@/lib/env";
import { applyMigrations } from "@/lib/db/schema-engine";
import { demoChangesFrom, eventsQueueFor } from "@/lib/events/demo-change";
import { connectorModeFrom, createConnector } from "@/lib/sources/connector-factory";
import { startSyncWorker } from "@/lib/sync/jobs/worker";
import { workerSettingsFrom } from "@/lib/sync/jobs/worker-settings";

const say = (line: string) => console.log(`[custody worker] ${line}`);
const url = orExitOnInvalidEnv(() => configuredDatabaseUrl());
if (!url) {
  console.error(
    "npm run worker needs DATABASE_URL: the Postgres that `npm start` uses (extra workers share its queue).",
  );
  process.exit(2);
}
try {
  const settings = workerSettingsFrom();
  await applyMigrations(url);
  const prisma = createPrismaClient(url);
  const mode = connectorModeFrom();
  const worker = await startSyncWorker({
    client: prisma,
    databaseUrl: url,
    connectorFactory: () => createConnector(mode, undefined, { demoChanges: demoChangesFrom(prisma) }),
    events: eventsQueueFor(prisma, mode),
    ...settings,
    log: say,
  });
  say(
    `running ${settings.concurrency} job(s) at a time against ${mode === "aws" ? "AWS" : "the fixture AWS (CUSTODY_FIXTURE_AWS=demo)"}; Ctrl-C to stop`,
  );
  const stop = async () => {
    say("stopping (running jobs finish first) …");
    await worker.stop();
    await prisma.$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
} catch (error) {
  console.error(`[custody worker] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
