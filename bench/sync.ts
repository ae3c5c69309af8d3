/**
 * Benchmark 1 — sync. The fixture AWS answers with --latency-ms per call and throttles per account and API
 * (ThrottlingException / SlowDown, retried like the SDK does). Accounts are synced through the real queue by
 * production workers, first ONE worker process, then TWO. Each worker allows 256 AWS calls in flight (its
 * CallSemaphore) shared by up to --concurrency account jobs; the global account limit is set high enough not to
 * bind. Reports wall time against the bound calls × latency ÷ allowed calls in flight, the settings lost to
 * throttling, and the two-worker speed-up.
 *
 *   npm run bench:sync -- --accounts 1000 --buckets-per-account 100 --latency-ms 30
 * Targets: wall ≤ 1.3 × bound; zero settings unknown because of throttling; two workers ≈ half the time of one.
 */
import { fork } from "node:child_process";
import path from "node:path";
import PgBoss from "pg-boss";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { ensureQueues } from "@/lib/sync/jobs/queue";
import { ensureDefaultScheme } from "@/lib/sync/scheme-store";
import { benchArgs, seconds, verdict } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { benchEstate, type SyncBenchConfig } from "./support/bench-estate-options";

const args = benchArgs({ accounts: 40, bucketsPerAccount: 50, latencyMs: 30 });
// Per worker: up to 16 account jobs at once, 256 AWS calls in flight between them (CUSTODY_WORKER_MAX_CALLS).
const concurrency = args.concurrency || 16;
const MAX_CALLS = 256;
const config: SyncBenchConfig = { accounts: args.accounts, bucketsPerAccount: args.bucketsPerAccount, regions: args.regions, latencyMs: args.latencyMs, throttleRate: 400 };

console.log(`sync benchmark: ${config.accounts} accounts × ${config.bucketsPerAccount} buckets, ${config.regions.length} regions, ` +
  `${config.latencyMs} ms per call, throttling at ${config.throttleRate}/s per account and API, up to ${concurrency} account jobs and ${MAX_CALLS} calls in flight per worker`);

const estate = benchEstate(config);
const db = await benchDatabase("sync");

async function runWith(workers: number) {
  await db.prisma.$executeRawUnsafe(`TRUNCATE bucket, bucket_state, bucket_setting_change, control_result, config_evaluation, macie_finding,
    macie_bucket_profile, sync_run, sync_task, account_region CASCADE`);
  const children = await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<ReturnType<typeof fork>>((resolve, reject) => {
        const child = fork(path.resolve("bench/support/sync-bench-worker.ts"), {
          execArgv: ["--import", "tsx", "--conditions=react-server"],
          env: { ...process.env, DATABASE_URL: db.url, CUSTODY_LOG_LEVEL: "warn",
            SYNC_BENCH_CONFIG: JSON.stringify({ ...config, concurrency, globalConcurrency: 1000, maxCalls: MAX_CALLS }) },
        });
        child.once("message", () => resolve(child));
        child.once("exit", (code) => reject(new Error(`worker exited ${code}`)));
      }),
    ),
  );
  const boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false, max: 2 });
  await boss.start();
  await ensureQueues(boss);
  const t = performance.now();
  const { syncRunId } = await enqueueSync(db.prisma, boss, { trigger: "cli" });
  for (;;) {
    const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: syncRunId! } });
    if (run.finishedAt) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wall = performance.now() - t;
  const perAccount = await db.prisma.syncRunAccount.findMany({ where: { syncRunId: syncRunId! }, select: { calls: true, status: true } });
  const calls = perAccount.reduce((n, a) => n + a.calls, 0);
  const [lostRow] = await db.prisma.$queryRaw<{ lost: bigint }[]>`
    SELECT COUNT(*) AS lost FROM bucket_state s, jsonb_each(s.settings) AS e(k, v)
     WHERE v->>'status' = 'unknown' AND v->>'errorCode' IN ('SlowDown', 'ThrottlingException', 'Throttling', 'TooManyRequestsException')`;
  const buckets = await db.prisma.bucket.count();
  await boss.stop({ graceful: false });
  for (const c of children) c.send("stop");
  await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
  return { wall, calls, lost: Number(lostRow?.lost ?? 0), buckets, failed: perAccount.filter((a) => a.status !== "succeeded").length };
}

try {
  await ensureDefaultScheme(db.prisma);
  await db.prisma.account.createMany({
    data: estate.accounts.map((a) => ({ id: a.accountId, name: a.name, ouPath: a.ouPath, roleArn: a.roleArn, externalId: a.externalId })),
  });
  const one = await runWith(1);
  const two = await runWith(2);
  const bound = (r: { calls: number }, workers: number) => (r.calls * config.latencyMs) / (workers * MAX_CALLS);
  for (const [label, r, w] of [["1 worker ", one, 1], ["2 workers", two, 2]] as const) {
    console.log(`${label}: ${seconds(r.wall)} for ${r.calls.toLocaleString("en")} calls, ${r.buckets.toLocaleString("en")} buckets; ` +
      `bound ${seconds(bound(r, w))} → ${(r.wall / bound(r, w)).toFixed(2)}× the bound; settings lost to throttling: ${r.lost}; accounts not succeeded: ${r.failed}`);
  }
  const speedup = one.wall / two.wall;
  console.log(`two workers / one worker: ${(two.wall / one.wall).toFixed(2)} of the time (${speedup.toFixed(2)}× faster)`);
  const ratio1 = one.wall / bound(one, 1);
  verdict(ratio1 <= 1.3 && one.lost === 0 && two.lost === 0 && speedup >= 1.6,
    `one worker at ${ratio1.toFixed(2)}× the bound, ${one.lost + two.lost} settings lost to throttling, two workers ${speedup.toFixed(2)}× faster`);
} finally {
  await db.stop();
}
process.exit(0);
