/**
 * Benchmark 1 — sync. The fixture AWS answers with --latency-ms per call and throttles per account and API
 * (ThrottlingException / SlowDown, retried like the SDK does). Accounts are synced through the real queue by
 * production workers, first ONE worker process, then TWO. Each worker allows --max-calls AWS calls in flight (its
 * CallSemaphore, CUSTODY_WORKER_MAX_CALLS; default 256) shared by up to --concurrency account jobs; the global
 * account limit is set high enough not to bind. Reports wall time against the bound
 * calls × latency ÷ (workers × max calls), the settings lost to throttling, the two-worker speed-up, and the CPU
 * the work cost (worker processes exactly; Postgres backends of the benchmark's database, sampled from /proc), also
 * per AWS call (calls counted where the collectors send them to the fixture connector).
 *
 *   npm run bench:sync -- --accounts 1000 --buckets-per-account 100 --latency-ms 30 [--max-calls 16] [--workers 2]
 *   (--only-workers N: one run with N workers, for estates too large to sync twice)
 * Targets: wall ≤ 1.3 × bound; zero settings unknown because of throttling; two workers ≈ half the time of one;
 * CPU per AWS call, worker plus Postgres, ≤ 0.2 ms (printed, not part of the verdict: the machine is shared).
 * The bound is the concurrency only while the machine has CPU to spare for that many calls per second: pick
 * --max-calls so that (workers × max calls ÷ latency) calls/s stays below what the machine can process.
 */
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import PgBoss from "pg-boss";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { ensureQueues } from "@/lib/sync/jobs/queue";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { benchArgs, seconds, verdict } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { benchEstate, type SyncBenchConfig } from "./support/bench-estate-options";

const args = benchArgs({ accounts: 40, bucketsPerAccount: 50, latencyMs: 30 });
// Per worker: up to 16 account jobs at once, 256 AWS calls in flight between them (CUSTODY_WORKER_MAX_CALLS).
const concurrency = args.concurrency || 16;
const MAX_CALLS = args.maxCalls || 256;
const WORKERS = Math.max(2, args.workers);
/** Issue 19: CPU per AWS call, worker plus Postgres, at most this many ms (so 10,000 accounts sync on a few cores). */
const CPU_PER_CALL_TARGET_MS = 0.2;
const config: SyncBenchConfig = {
  accounts: args.accounts,
  bucketsPerAccount: args.bucketsPerAccount,
  regions: args.regions,
  latencyMs: args.latencyMs,
  throttleRate: 400,
};

console.log(
  `sync benchmark: ${config.accounts} accounts × ${config.bucketsPerAccount} buckets, ${config.regions.length} regions, ` +
    `${config.latencyMs} ms per call, throttling at ${config.throttleRate}/s per account and API, up to ${concurrency} account jobs and ${MAX_CALLS} calls in flight per worker; ${args.onlyWorkers > 0 ? `one run with ${args.onlyWorkers} worker(s)` : `1 then ${WORKERS} workers`}`,
);

const estate = benchEstate(config);
const db = await benchDatabase("sync");

/**
 * CPU seconds the Postgres backends serving `dbName` used since the sampler started (Linux /proc/<pid>/stat,
 * utime + stime): a backend already running at the start counts from its value then, a new one from zero. Sampled
 * every 100 ms, so a backend that exits loses at most its last 100 ms; Postgres's shared processes (WAL writer,
 * checkpointer, autovacuum) are not counted.
 */
function postgresCpuSampler(dbName: string) {
  const ticks = 100; // USER_HZ (getconf CLK_TCK)
  const seen = new Map<number, number>();
  const baseline = new Map<number, number>();
  let started = false;
  const sample = () => {
    for (const entry of readdirSync("/proc")) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmd.startsWith("postgres: ") || !cmd.includes(` ${dbName} `)) continue;
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        const used = Number(fields[11]) + Number(fields[12]); // utime + stime, in ticks
        if (!started) baseline.set(pid, used);
        seen.set(pid, used);
      } catch {
        // the process ended between readdir and read
      }
    }
  };
  sample();
  started = true;
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return [...seen].reduce((a, [pid, used]) => a + used - (baseline.get(pid) ?? 0), 0) / ticks;
    },
  };
}

/** A worker's CPU time (ms, user + system, process.cpuUsage) and the AWS calls its fixture connectors have sent. */
const cpuOf = (child: ReturnType<typeof fork>) =>
  new Promise<{ cpuMs: number; systemMs: number; awsCalls: number }>((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m === "object" && m !== null && "cpuMs" in m) {
        child.off("message", onMessage);
        resolve(m as { cpuMs: number; systemMs: number; awsCalls: number });
      }
    };
    child.on("message", onMessage);
    child.send("cpu");
  });

async function runWith(workers: number) {
  await db.prisma
    .$executeRawUnsafe(`TRUNCATE bucket, bucket_state, bucket_setting_change, control_result, config_evaluation, macie_finding,
    macie_bucket_profile, sync_run, sync_task, account_region CASCADE`);
  const children = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<ReturnType<typeof fork>>((resolve, reject) => {
          const child = fork(path.resolve("bench/support/sync-bench-worker.ts"), {
            execArgv: [
              "--import",
              "tsx",
              "--conditions=react-server",
              ...(process.env.SYNC_BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
            ],
            env: {
              ...process.env,
              DATABASE_URL: db.url,
              CUSTODY_LOG_LEVEL: "warn",
              SYNC_BENCH_CONFIG: JSON.stringify({
                ...config,
                concurrency,
                globalConcurrency: 1000,
                maxCalls: MAX_CALLS,
              }),
            },
          });
          child.once("message", () => resolve(child));
          child.once("exit", (code) => reject(new Error(`worker exited ${code}`)));
        }),
    ),
  );
  const boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false, max: 2 });
  await boss.start();
  await ensureQueues(boss);
  const cpuStart = await Promise.all(children.map(cpuOf));
  const pgCpu = postgresCpuSampler(new URL(db.url).pathname.slice(1));
  const t = performance.now();
  const { syncRunId } = await enqueueSync(db.prisma, boss, { trigger: "cli" });
  for (;;) {
    const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: syncRunId! } });
    if (run.finishedAt) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wall = performance.now() - t;
  const cpuEnd = await Promise.all(children.map(cpuOf));
  const workerCpuS = cpuEnd.reduce((n, c, i) => n + c.cpuMs - cpuStart[i]!.cpuMs, 0) / 1000;
  const workerSystemS = cpuEnd.reduce((n, c, i) => n + c.systemMs - cpuStart[i]!.systemMs, 0) / 1000;
  const awsCalls = cpuEnd.reduce((n, c, i) => n + c.awsCalls - cpuStart[i]!.awsCalls, 0);
  const postgresCpuS = pgCpu.stop();
  const perAccount = await db.prisma.syncRunAccount.findMany({
    where: { syncRunId: syncRunId! },
    select: { calls: true, status: true },
  });
  const calls = perAccount.reduce((n, a) => n + a.calls, 0);
  const [lostRow] = await db.prisma.$queryRaw<{ lost: bigint }[]>`
    SELECT COUNT(*) AS lost FROM bucket_state s, jsonb_each(s.settings) AS e(k, v)
     WHERE v->>'status' = 'unknown' AND v->>'errorCode' IN ('SlowDown', 'ThrottlingException', 'Throttling', 'TooManyRequestsException')`;
  const buckets = await db.prisma.bucket.count();
  await boss.stop({ graceful: false });
  for (const c of children) c.send("stop");
  await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
  return {
    wall,
    calls,
    lost: Number(lostRow?.lost ?? 0),
    buckets,
    failed: perAccount.filter((a) => a.status !== "succeeded").length,
    awsCalls,
    workerCpuS,
    workerSystemS,
    postgresCpuS,
  };
}

try {
  await ensureDefaultScheme(db.prisma);
  await db.prisma.account.createMany({
    data: estate.accounts.map((a) => ({
      id: a.accountId,
      name: a.name,
      ouPath: a.ouPath,
      roleArn: a.roleArn,
      externalId: a.externalId,
    })),
  });
  const bound = (r: { calls: number }, workers: number) => (r.calls * config.latencyMs) / (workers * MAX_CALLS);
  const report = (label: string, r: Awaited<ReturnType<typeof runWith>>, w: number) => {
    console.log(
      `${label}: ${seconds(r.wall)} for ${r.calls.toLocaleString("en")} calls, ${r.buckets.toLocaleString("en")} buckets; ` +
        `bound ${seconds(bound(r, w))} → ${(r.wall / bound(r, w)).toFixed(2)}× the bound; settings lost to throttling: ${r.lost}; accounts not succeeded: ${r.failed}`,
    );
    console.log(
      `   CPU: workers ${r.workerCpuS.toFixed(1)} s (${Math.round(r.calls / r.workerCpuS).toLocaleString("en")} calls per worker CPU-second), ` +
        `Postgres ≈ ${r.postgresCpuS.toFixed(1)} s; together ${((r.workerCpuS + r.postgresCpuS) / (r.wall / 1000)).toFixed(2)} of this machine's ${availableParallelism()} cores on average`,
    );
    const perCall = (s: number) => (s * 1000) / r.awsCalls;
    const total = perCall(r.workerCpuS + r.postgresCpuS);
    console.log(
      `   CPU per AWS call (${r.awsCalls.toLocaleString("en")} calls counted at the fixture connector): ` +
        `worker ${perCall(r.workerCpuS).toFixed(3)} ms (of which system ${perCall(r.workerSystemS).toFixed(3)}) + Postgres ${perCall(r.postgresCpuS).toFixed(3)} ms = ${total.toFixed(3)} ms, ` +
        `${(total / CPU_PER_CALL_TARGET_MS).toFixed(2)}× the ${CPU_PER_CALL_TARGET_MS} ms target`,
    );
  };
  if (args.onlyWorkers > 0) {
    // One run only (the largest estates take many minutes per run): the bound and the throttling, no speed-up.
    const r = await runWith(args.onlyWorkers);
    report(`${args.onlyWorkers} worker(s)`, r, args.onlyWorkers);
    const ratio = r.wall / bound(r, args.onlyWorkers);
    verdict(
      ratio <= 1.3 && r.lost === 0,
      `${args.onlyWorkers} worker(s) at ${ratio.toFixed(2)}× the bound, ${r.lost} settings lost to throttling (${MAX_CALLS} calls in flight per worker, ${config.latencyMs} ms per call; no one-versus-N comparison in this mode)`,
    );
  } else {
    const one = await runWith(1);
    const two = await runWith(WORKERS);
    report("1 worker ", one, 1);
    report(`${WORKERS} workers`, two, WORKERS);
    const speedup = one.wall / two.wall;
    console.log(
      `${WORKERS} workers / one worker: ${(two.wall / one.wall).toFixed(2)} of the time (${speedup.toFixed(2)}× faster)`,
    );
    const ratio1 = one.wall / bound(one, 1);
    const ratio2 = two.wall / bound(two, WORKERS);
    verdict(
      ratio1 <= 1.3 && one.lost === 0 && two.lost === 0 && speedup >= 0.8 * WORKERS,
      `one worker at ${ratio1.toFixed(2)}× the bound, ${WORKERS} at ${ratio2.toFixed(2)}×, ${one.lost + two.lost} settings lost to throttling, ` +
        `${WORKERS} workers ${speedup.toFixed(2)}× faster (${MAX_CALLS} calls in flight per worker, ${config.latencyMs} ms per call)`,
    );
  }
} finally {
  await db.stop();
}
process.exit(0);
