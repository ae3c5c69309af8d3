/**
 * Worker-thread entry (started by bucket-export-in-worker.ts): encodes one bucket export with a pg pool of its own
 * (one connection, no Prisma client) and posts it to the parent in chunks, never more than `job.credit` ahead of the
 * parent's acks. A "cancel" from the parent stops it between chunks: the page iterator is ended, the pool closed.
 */
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { bucketExportCsv, bucketExportJson, bucketExportRows } from "@/lib/export/bucket-export";
import { bucketExportView } from "@/lib/server/dal/buckets";
import {
  EXPORT_WORKER_APPLICATION_NAME,
  type BucketExportJob,
  type FromExportWorker,
  type ToExportWorker,
} from "./bucket-export-in-worker";

const port = parentPort!;
const job = workerData as BucketExportJob;

let credit = job.credit;
let cancelled = false;
let blocked: (() => void) | null = null;
const resume = () => {
  const b = blocked;
  blocked = null;
  b?.();
};
port.on("message", (message: ToExportWorker) => {
  if (message.type === "ack") credit++;
  else cancelled = true;
  resume();
});
const post = (message: FromExportWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

// One connection: the export reads one page (then its control results) at a time.
const pool = new pg.Pool({
  connectionString: job.databaseUrl,
  max: 1,
  connectionTimeoutMillis: 10_000,
  application_name: EXPORT_WORKER_APPLICATION_NAME,
});
pool.on("error", () => {}); // an idle connection dropped: the next query opens another or fails with its own error

const rows = bucketExportRows(pool, bucketExportView(job.filters, job.sort), job.options);
const chunks = job.format === "csv" ? bucketExportCsv(rows, job.options) : bucketExportJson(rows, job.options);
const encoder = new TextEncoder();
try {
  for await (const text of chunks) {
    const bytes = encoder.encode(text);
    credit--;
    post({ type: "chunk", bytes }, [bytes.buffer as ArrayBuffer]);
    while (credit <= 0 && !cancelled) await new Promise<void>((r) => (blocked = r)); // the consumer is behind
    if (cancelled) break; // leaving the loop ends the generators (their finally blocks run)
  }
  if (!cancelled) post({ type: "done" });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  if (!cancelled) post({ type: "error", name: e.name, message: e.message, stack: e.stack });
} finally {
  await pool.end().catch(() => {});
  port.close();
}
