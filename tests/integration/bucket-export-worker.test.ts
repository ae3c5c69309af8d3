/**
 * The bucket export encoded in a worker thread (lib/export/bucket-export-in-worker.ts), as the export route serves
 * it: the same bytes as on the web thread, a consumer that stops reading pauses the worker, a consumer that goes
 * away stops it and releases its connection, and a worker that fails — before the first page or in the middle —
 * surfaces as an error that says what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { bucketExportCsv, bucketExportJson, bucketExportRows, APP_EXPORT_OPTIONS } from "@/lib/export/bucket-export";
import {
  BucketExportWorkerError,
  EXPORT_WORKER_APPLICATION_NAME,
  startBucketExportInWorker,
  type BucketExportSpec,
} from "@/lib/export/bucket-export-in-worker";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { bucketExportView, startBucketExportDownload } from "@/lib/server/dal/buckets";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let lead: Actor;
let manager: Actor;

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("export_worker");
  await loadDemoOrganisation(db.prisma, { historyDays: 1 });
  // The DAL's db() reads DATABASE_URL once per process: point it at this file's scratch database.
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const user = (role: string) => users.find((u) => u.role === role)!;
  lead = { ...user("security_lead"), role: "security-lead" } as Actor;
  manager = { ...user("manager"), role: "manager" } as Actor;
});
afterAll(async () => {
  await db.drop();
});

const whole = (format: "csv" | "json", extra: Partial<BucketExportSpec> = {}): BucketExportSpec => ({
  filters: {},
  sort: { sort: "name", dir: "asc" },
  format,
  options: APP_EXPORT_OPTIONS,
  ...extra,
});
/** Small pages and chunks: the demo organisation's 105 buckets make ≈ 20 chunks. */
const SMALL = { ...APP_EXPORT_OPTIONS, batch: 5, rowsPerChunk: 5 };

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  const reader = body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(Buffer.from(next.value));
  return Buffer.concat(parts);
}

async function inProcess(spec: BucketExportSpec): Promise<Buffer> {
  const rows = bucketExportRows(db.prisma, bucketExportView(spec.filters, spec.sort), spec.options);
  let text = "";
  for await (const chunk of spec.format === "csv" ? bucketExportCsv(rows, spec.options) : bucketExportJson(rows))
    text += chunk;
  return Buffer.from(text);
}

/** The worker's connections to this file's database (none once it has closed its pool). */
async function workerConnections(): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT COUNT(*)::int AS n FROM pg_stat_activity
     WHERE application_name = ${EXPORT_WORKER_APPLICATION_NAME} AND datname = current_database()`;
  return row!.n;
}
/** A closed connection leaves pg_stat_activity when its backend has exited, a moment after the client closed it. */
async function untilNoWorkerConnections(): Promise<number> {
  let n = await workerConnections();
  for (let i = 0; n > 0 && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    n = await workerConnections();
  }
  return n;
}

describe("bucket export in a worker thread", () => {
  it("writes the same bytes as the export on the web thread (CSV and JSON, filtered and sorted)", async () => {
    const specs = [
      whole("csv"),
      whole("json"),
      whole("csv", { filters: { exposure: "public" }, sort: { sort: "risk", dir: "desc" } }),
      whole("csv", { options: SMALL }),
    ];
    for (const spec of specs) {
      const { body, exited } = await startBucketExportInWorker(db.url, spec);
      const bytes = await readAll(body);
      expect(bytes.equals(await inProcess(spec))).toBe(true);
      expect(await exited).toBe(0);
    }
    const csv = (await inProcess(whole("csv"))).toString("utf8");
    expect(csv.trimEnd().split("\n")).toHaveLength(1 + (await db.prisma.bucket.count()));
  });

  it("pauses while the consumer does not read, and finishes when it does", async () => {
    const { body, exited } = await startBucketExportInWorker(db.url, whole("csv", { options: SMALL }));
    let exitedYet = false;
    void exited.then(() => (exitedYet = true));
    await new Promise((r) => setTimeout(r, 500)); // without back-pressure the worker would have sent everything by now
    expect(exitedYet).toBe(false);
    expect(await workerConnections()).toBe(1);
    const bytes = await readAll(body);
    expect(bytes.equals(await inProcess(whole("csv", { options: SMALL })))).toBe(true);
    expect(await exited).toBe(0);
  });

  it("stops the worker and releases its connection when the consumer goes away", async () => {
    const { body, exited } = await startBucketExportInWorker(db.url, whole("csv", { options: SMALL }));
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(await workerConnections()).toBe(1);
    await reader.cancel();
    // Exit code 0: it stopped by itself (a terminated worker exits with 1).
    expect(await exited).toBe(0);
    expect(await untilNoWorkerConnections()).toBe(0);
  });

  it("fails before the download starts when the first page cannot be read", async () => {
    const unreachable = db.url.replace(/@[^/]+\//, "@127.0.0.1:1/");
    const start = startBucketExportInWorker(unreachable, whole("csv"));
    await expect(start).rejects.toBeInstanceOf(BucketExportWorkerError);
    await expect(start).rejects.toThrow(/ECONNREFUSED/);
  });

  it("errors the stream with the database's message when a later page fails", async () => {
    const { body, exited } = await startBucketExportInWorker(db.url, whole("csv", { options: SMALL }));
    // The worker waits for acks after a few chunks; the pages it reads after that find no control results table.
    await db.prisma.$executeRawUnsafe(`ALTER TABLE control_result RENAME TO control_result_away`);
    try {
      await expect(readAll(body)).rejects.toThrow(/relation "control_result" does not exist/);
    } finally {
      await db.prisma.$executeRawUnsafe(`ALTER TABLE control_result_away RENAME TO control_result`);
    }
    expect(await exited).toBe(0);
    expect(await untilNoWorkerConnections()).toBe(0);
  });

  it("says the worker ran out of memory when its heap cap is too small", async () => {
    const start = startBucketExportInWorker(db.url, whole("csv"), {
      maxOldGenerationSizeMb: 2,
      maxYoungGenerationSizeMb: 1,
    });
    await expect(start).rejects.toThrow(/ran out of memory in its worker thread \(old space capped at 2 MB/);
  });

  it("is authorized and audited on the caller's thread before the worker starts", async () => {
    const query = BucketQuerySchema.parse({ sort: "name", dir: "asc", exposure: "public" });
    await expect(startBucketExportDownload(manager, query, "csv", { ip: null })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await workerConnections()).toBe(0);
    const { total, body } = await startBucketExportDownload(lead, query, "csv", { ip: "10.9.8.7" });
    const text = (await readAll(body)).toString("utf8");
    expect(text.trimEnd().split("\n")).toHaveLength(1 + total);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "export.buckets", ip: "10.9.8.7" } });
    expect(audit.detail).toMatchObject({ format: "csv", sort: "name", dir: "asc", rows: total });
  });
});
