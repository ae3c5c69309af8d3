/**
 * Benchmark 5 — re-evaluation. Loads an estate through the real path, then changes the classification scheme
 * (Medium now also requires versioning) and re-evaluates every bucket, as the app does after a scheme edit.
 *
 *   npm run bench:reevaluate -- --accounts 1000 --buckets-per-account 100
 */
import { DEFAULT_SCHEME } from "@/lib/domain/classification/scheme";
import { evaluateBuckets } from "@/lib/sync/evaluate-buckets";
import { saveSchemeVersion } from "@/lib/sync/scheme-store";
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

  const scheme = structuredClone(DEFAULT_SCHEME);
  scheme.levels.find((l) => l.key === "medium")!.requiredControlIds.push("versioning");
  await saveSchemeVersion(db.prisma, scheme, { note: "bench: Medium requires versioning" });
  const { ms, result } = await timed(() => evaluateBuckets(db.prisma));
  const perBucket = ms / Math.max(1, result.evaluated);
  console.log(`\nscheme change → re-evaluated ${result.evaluated.toLocaleString("en")} buckets (scheme v${result.schemeVersion}) in ${seconds(ms)}`);
  console.log(`   ${(perBucket * 1000).toFixed(0)} µs per bucket → ${seconds(perBucket * 100_000)} projected for 100,000 buckets`);
  const medium = await db.prisma.controlResult.count({ where: { controlId: "versioning", required: true, bucket: { levelKey: "medium" } } });
  console.log(`   Medium buckets now holding versioning as required: ${medium}`);
  verdict(perBucket * 100_000 < 120_000, `re-evaluating 100,000 buckets projects to ${seconds(perBucket * 100_000)} (background job; target < 2 min)`);
} finally {
  await db.stop();
}
process.exit(0);
