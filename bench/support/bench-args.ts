/** Size parameters shared by the benchmarks: `--accounts 1000 --buckets-per-account 100 --latency-ms 30 …`. */
import { parseArgs } from "node:util";

export function benchArgs(defaults: {
  accounts: number;
  bucketsPerAccount: number;
  latencyMs?: number;
  findings?: number;
}) {
  const { values } = parseArgs({
    options: {
      accounts: { type: "string" },
      "buckets-per-account": { type: "string" },
      "latency-ms": { type: "string" },
      findings: { type: "string" },
      regions: { type: "string" },
      workers: { type: "string" },
      concurrency: { type: "string" },
      "max-calls": { type: "string" },
      "only-workers": { type: "string" },
      "base-accounts": { type: "string" },
      requests: { type: "string" },
    },
    strict: false,
  });
  const num = (v: unknown, d: number) => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      console.error(`not a number: ${String(v)}`);
      process.exit(2);
    }
    return n;
  };
  return {
    accounts: num(values.accounts, defaults.accounts),
    bucketsPerAccount: num(values["buckets-per-account"], defaults.bucketsPerAccount),
    latencyMs: num(values["latency-ms"], defaults.latencyMs ?? 0),
    findings: num(values.findings, defaults.findings ?? 0),
    regions:
      typeof values.regions === "string" ? values.regions.split(",") : ["us-east-1", "eu-west-1", "ap-southeast-2"],
    workers: num(values.workers, 2),
    concurrency: num(values.concurrency, 0),
    /** AWS calls in flight per sync worker (CUSTODY_WORKER_MAX_CALLS; 0 = the benchmark's default). */
    maxCalls: num(values["max-calls"], 0),
    /** bench:sync: a single run with this many workers (no one-versus-N comparison; for the largest estates). */
    onlyWorkers: num(values["only-workers"], 0),
    /** Accounts synced through the real path before an estate is multiplied in SQL (bench/support/large-estate.ts). */
    baseAccounts: num(values["base-accounts"], 30),
    /** Measured requests per case (after 3 warm-ups). */
    requests: num(values.requests, 30),
  };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function verdict(ok: boolean, text: string) {
  console.log(`\nVERDICT: ${ok ? "PASS" : "MISS"} — ${text}`);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t = performance.now();
  const result = await fn();
  return { ms: performance.now() - t, result };
}
