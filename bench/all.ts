/**
 * `npm run bench -- <size flags>`: every benchmark in turn, each given the same flags (an npm script chain would pass
 * them to the last one only), so one command measures one estate size end to end — e.g. the 1M estate of issue 19:
 *
 *   npm run bench -- --accounts 10000 --buckets-per-account 100 --findings 1000000 --only-workers 2
 *
 * Each benchmark prints its own figures and verdict; this prints a line per benchmark and exits non-zero when one
 * failed to run (a MISS is a figure, not a failure). Flags one benchmark does not know are ignored by it.
 * Expect hours at 1M on 2 cores: the sync alone is ≈ 12 M fixture AWS calls (README "Running a large estate").
 */
import { spawnSync } from "node:child_process";

const BENCHMARKS = ["sync", "ingest", "reevaluate", "reads", "exports", "events"];
const flags = process.argv.slice(2);
const outcomes: string[] = [];
let failed = 0;
for (const name of BENCHMARKS) {
  const started = Date.now();
  console.log(`\n=== bench:${name} ${flags.join(" ")}`);
  const run = spawnSync("npm", ["run", "--silent", `bench:${name}`, "--", ...flags], { stdio: "inherit" });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0) failed++;
  outcomes.push(
    `bench:${name}: ${run.status === 0 ? "ran" : `FAILED (exit ${run.status ?? run.signal})`} in ${minutes} min`,
  );
}
console.log(`\n${outcomes.join("\n")}`);
process.exit(failed ? 1 : 0);
