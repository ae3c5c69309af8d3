/** A sync worker process for bench/sync.ts: the production worker, fed by the benchmark's fixture AWS. */
import { createPrismaClient } from "@/lib/db/prisma";
import { startSyncWorker } from "@/lib/sync/jobs/worker";
import type { AwsConnector } from "@/lib/sources/shared/connector";
import { benchConnector, type SyncBenchConfig } from "./bench-estate-options";

const config = JSON.parse(process.env.SYNC_BENCH_CONFIG ?? "{}") as SyncBenchConfig & {
  concurrency: number;
  globalConcurrency: number;
  maxCalls: number;
};
const url = process.env.DATABASE_URL!;

/**
 * AWS calls sent to this process's fixture connectors (AssumeRole included), counted where the collectors send them:
 * a connector is made per account job and its own callCounts() goes with it, so the count is kept here. One count per
 * command, like CallCounter; the fixture's throttled-and-retried attempts are not counted again.
 */
let awsCalls = 0;
const countedConnector = (): AwsConnector => {
  const connector = benchConnector(config);
  return {
    ...connector,
    async connect(ref) {
      awsCalls++;
      const clients = await connector.connect(ref);
      return {
        get(service, region) {
          const client = clients.get(service, region);
          return {
            send: ((...args: never[]) => {
              awsCalls++;
              return client.send(...args);
            }) as never,
          };
        },
      };
    },
  };
};
const prisma = createPrismaClient(url);
const worker = await startSyncWorker({
  client: prisma,
  databaseUrl: url,
  connectorFactory: countedConnector,
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
  // This process's CPU time and AWS calls so far; the benchmark asks at start and at the end, for CPU per call.
  if (m === "cpu") {
    const cpu = process.cpuUsage();
    process.send?.({ cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000, awsCalls });
  }
});
