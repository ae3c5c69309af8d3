/**
 * Benchmark 4 — exports. On the large estate (bench/support/large-estate.ts), downloads over HTTP from the production
 * build (`next start`): the CSV export of every bucket, and an evidence bundle of the whole estate. Reports the time
 * and the peak growth of the serving process's resident memory (VmRSS sampled every 50 ms during the download).
 *
 *   npm run bench:exports -- [--accounts 1000 --buckets-per-account 100 --findings 1000000 --base-accounts 30]
 *                              [--keep-database] [--database <url printed by a --keep-database run>] [--server-heap-mb 256]
 *                              [--only csv,json,bundle]
 * Target: RSS growth < 100 MB for each (the response is streamed, never built in memory).
 *
 * The 100,000-bucket estate takes minutes to build: `--keep-database` leaves it in place (its URL is printed) and
 * `--database <url>` runs against it again (the estate flags are then ignored; drop it yourself when done).
 * `--server-heap-mb` caps the server's V8 old space (`--max-old-space-size`): a download that retains memory fails
 * with a heap-out-of-memory error under a cap, one that only lets garbage pile up between collections does not.
 */
import { parseArgs } from "node:util";
import { createPrismaClient } from "@/lib/db/prisma";
import { buildIfStale } from "../scripts/build-if-stale";
import { benchArgs, seconds, verdict } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { buildLargeEstate } from "./support/large-estate";
import { sampleRss, startAppServer } from "./support/app-server";

const args = benchArgs({ accounts: 1000, bucketsPerAccount: 100, findings: 1_000_000 });
const { values: own } = parseArgs({
  options: {
    "keep-database": { type: "boolean" },
    database: { type: "string" },
    "server-heap-mb": { type: "string" },
    only: { type: "string" },
  },
  strict: false,
});
const reuseUrl = typeof own.database === "string" ? own.database : null;
const heapMb = typeof own["server-heap-mb"] === "string" ? Number(own["server-heap-mb"]) : null;
const only = new Set(typeof own.only === "string" ? own.only.split(",") : ["csv", "json", "bundle"]);

const MB = 1024 * 1024;
const db = reuseUrl
  ? (() => {
      const prisma = createPrismaClient(reuseUrl, { poolSize: 16 });
      return { url: reuseUrl, prisma, stop: () => prisma.$disconnect() };
    })()
  : await benchDatabase("exports");
let server: Awaited<ReturnType<typeof startAppServer>> | null = null;
try {
  let estate: { buckets: number };
  if (reuseUrl) {
    estate = { buckets: await db.prisma.bucket.count() };
    const [accounts, findings] = await Promise.all([db.prisma.account.count(), db.prisma.macieFinding.count()]);
    console.log(
      `export benchmark on the existing estate at ${reuseUrl}: ${accounts.toLocaleString("en")} accounts, ${estate.buckets.toLocaleString("en")} buckets, ${findings.toLocaleString("en")} findings`,
    );
  } else {
    console.log(
      `export benchmark: ${args.accounts} accounts × ${args.bucketsPerAccount} buckets, ${args.findings.toLocaleString("en")} findings`,
    );
    estate = await buildLargeEstate(db.prisma, db.url, { ...args, baseAccounts: args.baseAccounts });
    console.log(
      `(the estate beyond the base is SQL copies of synced rows plus synthetic findings — see bench/support/large-estate.ts)`,
    );
    if (own["keep-database"]) console.log(`keeping the estate: rerun with --database ${db.url}`);
  }
  process.env.CUSTODY_NEXT_DIST_DIR ||= ".next-bench";
  buildIfStale(console.log); // before the heap cap below, which is for the server only
  if (heapMb) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${heapMb}`.trim();
    console.log(`server heap capped: --max-old-space-size=${heapMb}`);
  }
  server = await startAppServer(db.prisma, db.url);
  const app = server;

  /** Download a response to the end (counting bytes, keeping none) while sampling the server's RSS. */
  async function download(label: string, request: () => Promise<Response>) {
    // Warm the route once on a tiny response so the measurement is the download, not the first compile/load.
    await new Promise((r) => setTimeout(r, 500));
    const rss = sampleRss(app.serverPid, 50);
    const t = performance.now();
    const res = await request();
    if (!res.ok || !res.body) throw new Error(`${label}: HTTP ${res.status} ${await res.text()}`);
    let bytes = 0;
    let firstByteMs = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0) firstByteMs = performance.now() - t;
      bytes += value.byteLength;
    }
    const ms = performance.now() - t;
    const mem = rss.stop();
    console.log(
      `${label.padEnd(30)} ${seconds(ms).padStart(9)}  first byte ${firstByteMs.toFixed(0)} ms  ${(bytes / MB).toFixed(1)} MB  ` +
        `RSS ${(mem.baseline / MB).toFixed(0)} → peak ${(mem.peak / MB).toFixed(0)} MB (growth ${(mem.growth / MB).toFixed(0)} MB)`,
    );
    console.log(
      `${"".padEnd(30)} RSS at each tenth of the download: ${mem.course.map((v) => (v / MB).toFixed(0)).join(" ")} MB; ` +
        `peak at ${(mem.peakAtMs / 1000).toFixed(1)} s of ${(mem.spanMs / 1000).toFixed(1)} s`,
    );
    return { ms, bytes, growth: mem.growth, peak: mem.peak };
  }

  // Warm-ups: small responses through the same routes (route modules loaded, connections open).
  await app.get("/api/buckets/export?format=csv&account=000000000000");
  const headers = { cookie: app.cookie };
  const run = await db.prisma.syncRun.findFirst({
    where: { status: { in: ["succeeded", "partial"] }, finishedAt: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { id: true },
  });
  const firstAccount = (await db.prisma.account.findFirst({ orderBy: { id: "asc" }, select: { id: true } }))!.id;
  const warmForm = new URLSearchParams({ syncRunId: run!.id, accounts: firstAccount });
  await (await fetch(`${app.base}/api/evidence/bundle`, { method: "POST", headers, body: warmForm })).arrayBuffer();

  console.log("");
  const skipped = { ms: 0, bytes: 0, growth: 0, peak: 0 };
  const csv = only.has("csv")
    ? await download("CSV export (all buckets)", () => fetch(`${app.base}/api/buckets/export?format=csv`, { headers }))
    : skipped;
  const json = only.has("json")
    ? await download("JSON export (all buckets)", () =>
        fetch(`${app.base}/api/buckets/export?format=json`, { headers }),
      )
    : skipped;
  const bundle = only.has("bundle")
    ? await download("evidence bundle (whole estate)", () =>
        fetch(`${app.base}/api/evidence/bundle`, {
          method: "POST",
          headers,
          body: new URLSearchParams({ syncRunId: run!.id }),
        }),
      )
    : skipped;
  if (only.has("bundle")) {
    const record = await db.prisma.evidenceBundle.findFirst({
      orderBy: { createdAt: "desc" },
      select: { manifest: true },
    });
    const bundled = (record?.manifest as { buckets?: number } | undefined)?.buckets ?? 0;
    console.log(`   bundle covers ${bundled.toLocaleString("en")} buckets`);
  }
  if (only.has("csv"))
    console.log(`   CSV ${Math.round(estate.buckets / (csv.ms / 1000)).toLocaleString("en")} rows/s`);

  const worst = Math.max(csv.growth, json.growth, bundle.growth);
  console.log(`\nserver RSS peak during the run: ${(Math.max(csv.peak, json.peak, bundle.peak) / MB).toFixed(0)} MB`);
  const measured = [
    only.has("csv") && `CSV ${(csv.growth / MB).toFixed(0)} MB`,
    only.has("json") && `JSON ${(json.growth / MB).toFixed(0)} MB`,
    only.has("bundle") && `evidence bundle ${(bundle.growth / MB).toFixed(0)} MB`,
  ].filter(Boolean);
  const times = [
    only.has("csv") && `CSV ${seconds(csv.ms)}`,
    only.has("bundle") && `bundle ${seconds(bundle.ms)}`,
  ].filter(Boolean);
  verdict(
    worst < 100 * MB,
    `RSS growth ${measured.join(", ")} (target < 100 MB)${heapMb ? ` with the server's old space capped at ${heapMb} MB` : ""}; ` +
      `${times.join(", ")} for ${estate.buckets.toLocaleString("en")} buckets`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await server?.stop();
  if (own["keep-database"] && !reuseUrl) await db.prisma.$disconnect();
  else await db.stop();
}
process.exit(process.exitCode ?? 0);
