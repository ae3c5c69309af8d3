/** A sync worker process for bench/sync.ts: the production worker, fed by the benchmark's fixture AWS. */
import { createPrismaClient } from "@/lib/db/prisma";
import { startSyncWorker } from "@/lib/sync/jobs/worker";
import { benchConnector, type SyncBenchConfig } from "./bench-estate-options";

const config = JSON.parse(process.env.SYNC_BENCH_CONFIG ?? "{}") as SyncBenchConfig & {
  concurrency: number;
  globalConcurrency: number;
  maxCalls: number;
};
const url = process.env.DATABASE_URL!;
const prisma = createPrismaClient(url);
const worker = await startSyncWorker({
  client: prisma,
  databaseUrl: url,
  connectorFactory: () => benchConnector(config),
  concurrency: config.concurrency,
  maxCallsInFlight: config.maxCalls,
  globalConcurrency: config.globalConcurrency,
  pollingIntervalSeconds: 0.5,
  schedule: false,
  syncOptions: { regions: config.regions },
});
process.send?.("ready");
process.on("message", async (m) => {
  if (m === "stop") {
    await worker.stop();
    await prisma.$disconnect();
    process.exit(0);
  }
  // This process's CPU time so far; the benchmark asks at start and at the end, for calls per CPU-second.
  if (m === "cpu") {
    const cpu = process.cpuUsage();
    process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000 });
  }
});
