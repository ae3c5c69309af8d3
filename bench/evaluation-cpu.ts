/**
 * Benchmark 5b — the evaluation's CPU per bucket in JavaScript, without Postgres: what a re-evaluation spends in the
 * evaluating thread on each bucket (issue 19: re-evaluating 1,000,000 buckets in < 5 minutes needs this to fall).
 * Reads a few pages of evaluation inputs once, then runs, round after round over the same inputs:
 *   - `evaluateBucket` (the controls, exposure, risk),
 *   - `computeEffectiveAccess` (who outside the organisation gets in),
 *   - `prepareBucket` (both, plus the verdict row and its digest: what a page evaluation does per unchanged bucket),
 *     and with the JSON a write sends (per changed bucket).
 * and prints the median CPU µs per bucket of each (this thread's user + system time, garbage collection included).
 *
 *   npm run bench:evaluation-cpu -- [--accounts 20 --buckets-per-account 100] [--rounds 15]
 *   npm run bench:evaluation-cpu -- --database <url of a kept estate> [--buckets 2000]
 *   … [--trusted 10000]   the organisation padded to that many linked (trusted) accounts, as at issue 19's 10,000
 *
 * Comparing two versions of the domain code: run this in each worktree, alternately, on the same estate
 * (`--database`); the CPU per bucket moves with the machine's load, the ratio much less.
 */
import { parseArgs } from "node:util";
import { computeEffectiveAccess } from "@/lib/domain/access/effective-access";
import { evaluateBucket } from "@/lib/domain/evaluate-bucket";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { DEFAULT_OWNER_TAG_KEY, prepareBucket } from "@/lib/evaluation/evaluate-buckets";
import { loadEvaluationContext, type BucketEvaluationInput } from "@/lib/evaluation/evaluation-context";
import { benchArgs } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { loadBenchEstate } from "./support/load-estate";

const { values: own } = parseArgs({
  options: {
    database: { type: "string" },
    buckets: { type: "string" },
    rounds: { type: "string" },
    trusted: { type: "string" },
  },
  strict: false,
});
const wantedBuckets = Number(own.buckets ?? 2000);
const rounds = Number(own.rounds ?? 15);
const padTo = Number(own.trusted ?? 0);
if (
  !Number.isInteger(wantedBuckets) ||
  wantedBuckets < 1 ||
  !Number.isInteger(rounds) ||
  rounds < 3 ||
  !Number.isInteger(padTo) ||
  padTo < 0
) {
  console.error("--buckets must be a positive integer, --rounds at least 3, --trusted a count");
  process.exit(2);
}

let prisma: Db;
let stop: () => Promise<void>;
if (typeof own.database === "string") {
  prisma = createPrismaClient(own.database, { poolSize: 4 });
  stop = () => prisma.$disconnect();
} else {
  const args = benchArgs({ accounts: 20, bucketsPerAccount: 100 });
  const db = await benchDatabase("evaluation_cpu");
  prisma = db.prisma;
  stop = db.stop;
  console.log(`building ${args.accounts} accounts × ${args.bucketsPerAccount} buckets through the real sync …`);
  await loadBenchEstate(prisma, args);
}

try {
  const context = await loadEvaluationContext(prisma, { buckets: {} });
  const inputs: BucketEvaluationInput[] = [];
  for await (const page of context.bucketPages({ settings: true })) {
    inputs.push(...(await context.inputsFor(page.slice(0, wantedBuckets - inputs.length))));
    if (inputs.length >= wantedBuckets) break;
  }
  if (padTo > context.organization.accountIds.length) {
    // Accounts linked but holding none of these buckets: what an organisation of padTo accounts adds to each one's
    // evaluation (the allow-list and the organisation are one shared list per evaluation).
    const linked = new Set(context.organization.accountIds);
    for (let n = 0; linked.size < padTo; n++) linked.add(String(900_000_000_000 + n));
    const accountIds = [...linked].sort();
    const trusted = [...new Set([...context.trustedAccountIds, ...accountIds])].sort();
    const organization = { ...context.organization, accountIds };
    for (const i of inputs) {
      i.args.input.trustedAccountIds = trusted;
      i.args.input.organization = organization;
    }
  }
  const rankOf = new Map(context.scheme.levels.map((l) => [l.key, l.rank]));
  console.log(
    `${inputs.length.toLocaleString("en")} buckets, ` +
      `${(inputs[0]?.args.input.trustedAccountIds.length ?? 0).toLocaleString("en")} trusted ` +
      `accounts, ${rounds} rounds (the first 2 warm up and are not counted)`,
  );

  const cases: [string, (input: BucketEvaluationInput) => unknown][] = [
    ["evaluateBucket", (i) => evaluateBucket(i.args)],
    ["computeEffectiveAccess", (i) => computeEffectiveAccess(i.args.input)],
    [
      "prepareBucket (both + row, digest): unchanged",
      (i) => prepareBucket(i, { rankOf, ownerKey: DEFAULT_OWNER_TAG_KEY, policyFindings: 0 }),
    ],
    [
      "… + the JSON to write: changed",
      (i) => prepareBucket(i, { rankOf, ownerKey: DEFAULT_OWNER_TAG_KEY, policyFindings: 0 }).strings(),
    ],
  ];
  for (const [name, run] of cases) {
    const perBucket: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Each round on fresh copies of the inputs' settings: the effective exposure is cached per settings object
      // (several controls of one bucket share it), and a page evaluation meets each bucket's settings once.
      const fresh = inputs.map((i) => ({
        ...i,
        args: { ...i.args, input: { ...i.args.input, settings: { ...i.args.input.settings } } },
      }));
      const cpu = process.cpuUsage();
      let sink = 0;
      for (const input of fresh) if (run(input)) sink++;
      const used = process.cpuUsage(cpu);
      if (sink !== inputs.length) throw new Error(`${name} returned nothing for a bucket`);
      if (r >= 2) {
        perBucket.push((used.user + used.system) / inputs.length);
      }
    }
    perBucket.sort((a, b) => a - b);
    const median = perBucket[Math.floor(perBucket.length / 2)]!;
    console.log(
      `${name.padEnd(42)} ${median.toFixed(1).padStart(7)} µs per bucket (min ${perBucket[0]!.toFixed(1)}, max ` +
        `${perBucket.at(-1)!.toFixed(1)})`,
    );
  }
} finally {
  await stop();
}
process.exit(0);
