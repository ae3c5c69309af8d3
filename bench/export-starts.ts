/**
 * Where an export's worker thread costs memory: the server's VmRSS sampled every 2 ms around small downloads (one
 * account's evidence bundle, one account's CSV), so a spike at the worker's start or end — between the 50 ms samples
 * of `bench:exports` — is seen, with when it happens relative to the request, the first byte and the last byte.
 *
 *   npm run bench:exports:starts -- --database <url of a database with a completed sync run> [--runs 5]
 *                                    [--only bundle,csv] [--timeline]
 *
 * Production build (`next start`, CUSTODY_NEXT_DIST_DIR=.next-bench), as bench:exports. The server's environment is
 * this process's: `CUSTODY_EVIDENCE_IN_PROCESS=1` / `CUSTODY_EXPORT_IN_PROCESS=1` compare with the web thread.
 * Writes to that database what bench:exports writes (a bench user and session, the bundles' records and audit).
 */
import { parseArgs } from "node:util";
import { createPrismaClient } from "@/lib/db/prisma";
import { rssBytes, startAppServer } from "./support/app-server";

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    runs: { type: "string", default: "5" },
    only: { type: "string", default: "bundle,csv" },
    timeline: { type: "boolean", default: false },
  },
});
if (!values.database) {
  console.error("--database <url> is required (a database with a completed sync run, e.g. the demo organisation)");
  process.exit(2);
}
const runs = Number(values.runs);
const only = new Set(values.only!.split(","));
const MB = 1024 * 1024;

const prisma = createPrismaClient(values.database, { poolSize: 2 });
const server = await startAppServer(prisma, values.database);
try {
  const headers = { cookie: server.cookie };
  const run = await prisma.syncRun.findFirstOrThrow({
    where: { status: { in: ["succeeded", "partial"] }, finishedAt: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { id: true },
  });
  const account = (await prisma.account.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true } })).id;

  /** One download with dense sampling; times in ms from the request. */
  async function probe(request: () => Promise<Response>) {
    const samples: { at: number; rss: number }[] = [];
    const t0 = performance.now();
    const baseline = rssBytes(server.serverPid) ?? 0;
    const timer = setInterval(() => {
      const v = rssBytes(server.serverPid);
      if (v !== null) samples.push({ at: performance.now() - t0, rss: v });
    }, 2);
    const res = await request();
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} ${await res.text()}`);
    let firstByte = 0;
    let bytes = 0;
    const reader = res.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (!bytes) firstByte = performance.now() - t0;
      bytes += next.value.byteLength;
    }
    const lastByte = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 300)); // the worker's exit comes after the last byte
    clearInterval(timer);
    const peak = samples.reduce((p, s) => (s.rss > p.rss ? s : p), { at: 0, rss: baseline });
    const after = samples.at(-1)?.rss ?? baseline;
    return { baseline, peak, after, firstByte, lastByte, bytes, samples };
  }

  const cases: [string, () => Promise<Response>][] = [];
  if (only.has("bundle"))
    cases.push([
      "bundle, one account",
      () =>
        fetch(`${server.base}/api/evidence/bundle`, {
          method: "POST",
          headers,
          body: new URLSearchParams({ syncRunId: run.id, accounts: account }),
        }),
    ]);
  if (only.has("csv"))
    cases.push([
      "CSV, one account",
      () => fetch(`${server.base}/api/buckets/export?format=csv&account=${account}`, { headers }),
    ]);
  for (const [label, request] of cases) {
    await (await request()).arrayBuffer(); // warm: route loaded, connections open
    const growths: number[] = [];
    for (let i = 0; i < runs; i++) {
      const p = await probe(request);
      growths.push(p.peak.rss - p.baseline);
      console.log(
        `${label.padEnd(20)} run ${i + 1}: RSS ${(p.baseline / MB).toFixed(0)} → peak ${(p.peak.rss / MB).toFixed(0)} MB ` +
          `(+${((p.peak.rss - p.baseline) / MB).toFixed(0)}) at ${p.peak.at.toFixed(0)} ms, ${(p.after / MB).toFixed(0)} MB 300 ms after; ` +
          `first byte ${p.firstByte.toFixed(0)} ms, last byte ${p.lastByte.toFixed(0)} ms, ${(p.bytes / 1024).toFixed(0)} KB, ${p.samples.length} samples`,
      );
      if (values.timeline) {
        // Every 10 ms: where the RSS rises and falls against the first and last byte.
        const line: string[] = [];
        for (let at = 0; at <= p.lastByte + 300; at += 10) {
          const s = p.samples.findLast((x) => x.at <= at);
          if (s) line.push(`${at}:${(s.rss / MB).toFixed(0)}`);
        }
        console.log(`   ${line.join(" ")}`);
      }
    }
    const sorted = [...growths].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(20)} peak growth median +${(sorted[Math.floor(sorted.length / 2)]! / MB).toFixed(0)} MB (min +${(sorted[0]! / MB).toFixed(0)}, max +${(sorted.at(-1)! / MB).toFixed(0)})\n`,
    );
  }
} finally {
  await server.stop();
  await prisma.$disconnect();
}
process.exit(0);
