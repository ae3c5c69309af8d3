/**
 * Benchmark — bucket-change events: the time from an event on the queue to the webhook delivered, through the
 * production consumer (lib/events/consume-events.ts), the real single-bucket re-read against the fixture AWS with
 * --latency-ms per call, the real load and evaluation, and a real HTTP webhook on this machine.
 *
 *   npm run bench:events -- [--accounts 1000] [--latency-ms 30] [--steady-seconds 30] [--burst 10000]
 *
 * Two cases, side by side:
 *   - steady: one event a second, each opening a different bucket to the world → p50 / p95 event → webhook;
 *   - burst: --burst events at once over 1,000 buckets in 1,000 accounts (10 per bucket, shuffled) → how long until
 *     every event is recorded, refreshes per event (coalescing), AWS calls per event, and that none is lost.
 * The queue is the Postgres-backed local queue (the demo's); with SQS a long poll returns as soon as messages are
 * there, so the consumer's own time is what is measured. Targets: steady p95 < 10 s; burst: no event lost, at most one
 * re-read per bucket per gathering window.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { runEventConsumer, type RoundSummary } from "@/lib/events/consume-events";
import { localEventsQueue } from "@/lib/events/local-queue";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { DEMO_CHANGES, demoChangeEvents } from "@/lib/sources/fixture/demo-changes";
import { WEBHOOK_SETTINGS_KEY } from "@/lib/sync/notifications/deliver-webhooks";
import { benchArgs, seconds, verdict } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { loadBenchEstate } from "./support/load-estate";

// The webhook receiver is on this machine: let the egress checks allow loopback for this process only.
process.env.CUSTODY_WEBHOOK_ALLOW_PRIVATE = "true";

const args = benchArgs({ accounts: 1000, bucketsPerAccount: 1, latencyMs: 30 });
const { values } = parseArgs({
  options: { "steady-seconds": { type: "string" }, burst: { type: "string" }, window: { type: "string" } },
  strict: false,
});
const STEADY = Number(values["steady-seconds"] ?? 30);
const BURST = Number(values.burst ?? 10_000);
const WINDOW_MS = Number(values.window ?? 3) * 1000;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

console.log(
  `events benchmark: ${args.accounts + STEADY} accounts × ${args.bucketsPerAccount} bucket(s), ${args.latencyMs} ms per AWS call, gathering window ${WINDOW_MS / 1000} s; steady ${STEADY} events at 1/s, then a burst of ${BURST}`,
);
const db = await benchDatabase("events");
try {
  const t0 = performance.now();
  const { estate } = await loadBenchEstate(db.prisma, {
    accounts: args.accounts + STEADY,
    bucketsPerAccount: args.bucketsPerAccount,
    regions: ["us-east-1", "eu-west-1"],
  });
  console.log(`estate built in ${seconds(performance.now() - t0)} (real sync, no latency)`);
  // Every event must matter (a bucket newly public), so no account-wide Block Public Access overrides the buckets'.
  for (const a of estate.accounts) a.accountPublicAccessBlock = null;
  await db.prisma.account.updateMany({ data: { s3AccountSettings: { publicAccessBlock: { status: "absent" } } } });

  // The webhook: records when each bucket's alert arrived.
  const arrived = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const at = performance.now();
      try {
        for (const e of (JSON.parse(body) as { events: { bucket: string }[] }).events)
          if (!arrived.has(e.bucket)) arrived.set(e.bucket, at);
      } catch {
        /* not ours */
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  await db.prisma.appSetting.upsert({
    where: { key: WEBHOOK_SETTINGS_KEY },
    update: { value: { urls: [url] } },
    create: { key: WEBHOOK_SETTINGS_KEY, value: { urls: [url] } },
  });

  const connector = createFixtureConnector(estate, { latencyMs: args.latencyMs, throttle: null });
  const stop = new AbortController();
  const rounds: RoundSummary[] = [];
  const consumer = runEventConsumer(
    {
      db: db.prisma,
      queue: localEventsQueue(db.prisma, { pollMs: 100 }),
      connector,
      databaseUrl: db.url,
      windowMs: WINDOW_MS,
      maxPerRound: Math.max(1000, BURST),
      concurrency: 16,
      waitSeconds: 1,
      signal: stop.signal,
    },
    (r) => rounds.push(r),
  );
  // Buckets whose settings can all be read (a denied policy read would leave exposure unknown, not public).
  const buckets = estate.allBuckets().filter((b) => b.deniedOperations.length === 0);
  const send = async (events: object[]) => {
    for (let i = 0; i < events.length; i += 1000)
      await db.prisma.localEventMessage.createMany({
        data: events.slice(i, i + 1000).map((e) => ({ body: JSON.stringify(e) })),
      });
  };

  // ── steady: one event a second, each a different bucket made public ──
  const sentAt = new Map<string, number>();
  for (let i = 0; i < STEADY; i++) {
    const b = buckets[i]!;
    DEMO_CHANGES["make-public"].apply(b);
    const [event] = demoChangeEvents(b, "make-public", new Date(), `steady-${randomUUID()}`).slice(1); // PutBucketPolicy
    sentAt.set(b.name, performance.now());
    await send([event!]);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const steadyDeadline = performance.now() + 60_000;
  while ([...sentAt.keys()].some((k) => !arrived.has(k)) && performance.now() < steadyDeadline)
    await new Promise((r) => setTimeout(r, 200));
  const latencies = [...sentAt].flatMap(([k, t]) => (arrived.has(k) ? [arrived.get(k)! - t] : []));

  // ── burst: BURST events over 1,000 buckets at once, 10 per bucket, shuffled ──
  const burstBuckets = buckets.slice(STEADY, STEADY + Math.min(1000, BURST));
  const perBucket = Math.ceil(BURST / burstBuckets.length);
  const burst: object[] = [];
  for (const b of burstBuckets) {
    DEMO_CHANGES["make-public"].apply(b);
    for (let k = 0; k < perBucket && burst.length < BURST; k++)
      burst.push(demoChangeEvents(b, "make-public", new Date(), `burst-${randomUUID()}`)[1]!);
  }
  for (let i = burst.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [burst[i], burst[j]] = [burst[j]!, burst[i]!];
  }
  const callsBefore = Object.values(connector.callCounts()).reduce((a, b) => a + b, 0);
  const roundsBefore = rounds.length;
  const tb = performance.now();
  await send(burst);
  const burstDeadline = performance.now() + 15 * 60_000;
  let recorded = 0;
  for (;;) {
    recorded = await db.prisma.bucketChangeEvent.count({ where: { eventId: { startsWith: "burst-" } } });
    if (recorded >= burst.length || performance.now() > burstDeadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const burstMs = performance.now() - tb;
  const burstRounds = rounds.slice(roundsBefore);
  const refreshes = burstRounds.reduce((n, r) => n + r.refreshes, 0);
  const calls = Object.values(connector.callCounts()).reduce((a, b) => a + b, 0) - callsBefore;
  const perBucketRefreshes = await db.prisma.$queryRawUnsafe<{ max: number }[]>(
    `SELECT COALESCE(MAX(n), 0)::int AS max FROM (SELECT COUNT(DISTINCT refresh_id) AS n FROM bucket_change_event WHERE event_id LIKE 'burst-%' GROUP BY bucket_id) x`,
  );
  stop.abort();
  await consumer;
  server.close();

  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  console.log(`\n| case | events | result |`);
  console.log(`|---|---|---|`);
  console.log(
    `| steady, 1 event/s | ${STEADY} | event → webhook p50 ${seconds(p50)}, p95 ${seconds(p95)} (${latencies.length}/${STEADY} delivered) |`,
  );
  console.log(
    `| burst over ${burstBuckets.length} buckets in ${burstBuckets.length} accounts | ${burst.length} | all recorded in ${seconds(burstMs)} (${recorded}/${burst.length}); ${burstRounds.length} round(s) |`,
  );
  console.log(
    `\nratios (burst): refreshes per event ${(refreshes / burst.length).toFixed(3)} (${refreshes} re-reads); AWS calls per event ${(calls / burst.length).toFixed(2)}; most re-reads of one bucket ${perBucketRefreshes[0]?.max ?? 0} over ${burstRounds.length} window(s)`,
  );
  verdict(
    p95 < 10_000 && latencies.length === STEADY && recorded === burst.length,
    `steady p95 ${seconds(p95)} (target < 10 s), burst ${recorded}/${burst.length} events recorded (target: none lost)`,
  );
} finally {
  await db.stop();
}
