/**
 * Benchmark 5 — re-evaluation. Loads an estate through the real path, then changes the classification scheme
 * (Medium now also requires versioning, then back) and re-evaluates every bucket, as the app does after a scheme
 * edit, with one and with two batches in flight.
 *
 *   npm run bench:reevaluate -- --accounts 1000 --buckets-per-account 100
 */
import { DEFAULT_SCHEME } from "@/lib/domain/classification/scheme";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { saveSchemeVersion } from "@/lib/evaluation/scheme-store";
import { benchArgs, seconds, timed, verdict } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { loadBenchEstate } from "./support/load-estate";

const args = benchArgs({ accounts: 50, bucketsPerAccount: 100 });
console.log(`re-evaluation benchmark: ${args.accounts} accounts × ${args.bucketsPerAccount} buckets`);
const db = await benchDatabase("reevaluate");
try {
  const { syncMs } = await loadBenchEstate(db.prisma, args);
  const buckets = await db.prisma.bucket.count();
  console.log(`estate synced through the real path in ${seconds(syncMs)} (${buckets.toLocaleString("en")} buckets)`);

  // The same change made and undone, each evaluated with one batch and with two batches in flight (the default),
  // alternating, so both settings rewrite the same results on the same machine in the same run.
  const withVersioning = structuredClone(DEFAULT_SCHEME);
  withVersioning.levels.find((l) => l.key === "medium")!.requiredControlIds.push("versioning");
  const runs: { inFlight: number; ms: number; evaluated: number }[] = [];
  for (const [i, inFlight] of [1, 2, 2, 1].entries()) {
    const scheme = i % 2 === 0 ? withVersioning : DEFAULT_SCHEME;
    await saveSchemeVersion(db.prisma, scheme, {
      note: i % 2 === 0 ? "bench: Medium requires versioning" : "bench: back to the default",
    });
    const { ms, result } = await timed(() => evaluateBuckets(db.prisma, {}, { batchesInFlight: inFlight }));
    runs.push({ inFlight, ms, evaluated: result.evaluated });
    console.log(
      `scheme v${result.schemeVersion} (${i % 2 === 0 ? "Medium requires versioning" : "back to the default"}), ${inFlight} batch${inFlight > 1 ? "es" : ""} in flight: ` +
        `re-evaluated ${result.evaluated.toLocaleString("en")} buckets in ${seconds(ms)} (${((ms / result.evaluated) * 1000).toFixed(0)} µs per bucket)`,
    );
  }
  const perBucket = (inFlight: number) => {
    const r = runs.filter((x) => x.inFlight === inFlight);
    return r.reduce((n, x) => n + x.ms, 0) / r.reduce((n, x) => n + x.evaluated, 0);
  };
  const one = perBucket(1),
    two = perBucket(2);
  console.log(
    `\n   one batch at a time ${(one * 1000).toFixed(0)} µs per bucket, two ${(two * 1000).toFixed(0)} µs → ${(one / two).toFixed(2)}× faster`,
  );
  console.log(`   ${seconds(two * 100_000)} projected for 100,000 buckets`);
  verdict(
    two * 100_000 < 120_000,
    `re-evaluating 100,000 buckets projects to ${seconds(two * 100_000)} (background job; target < 2 min)`,
  );
} finally {
  await db.stop();
}
process.exit(0);
