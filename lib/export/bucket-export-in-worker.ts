/**
 * The bucket export (bucket-export.ts) encoded in a worker thread and handed to this thread as a byte stream.
 *
 * Why a worker: a 1,000,000-bucket CSV is ≈ 1 GB of text built over minutes, and V8 sizes a heap's old space to the
 * allocation rate it sees — in the web process that grew RSS by 274 MB although one page is live at a time
 * (docs/performance.md, "Re-evaluation and exports at 1,000,000 buckets"). A worker has its own heap, capped by
 * `resourceLimits`, so the churn is collected there and the web process's heap is not grown by it; no process-wide
 * `--max-old-space-size` is needed.
 *
 * The caller (the DAL's startBucketExportDownload) has authorized and audited before the worker starts; the worker
 * opens one pg connection of its own (no Prisma client) to the same database.
 *
 * Back-pressure: the worker may have at most CREDIT_CHUNKS chunks unacknowledged, and this thread acknowledges a chunk
 * only when the response stream pulls it (highWaterMark 0: a pull means the client has taken what it had), so a slow
 * download pauses the worker between pages and at most CREDIT_CHUNKS chunks (≈ 100 rows each) wait here.
 * Cancellation: the response stream's cancel (the client went away) tells the worker to stop; it ends its page
 * iterator and its pool (the connection is released) and exits; terminated if it has not within CANCEL_GRACE_MS.
 * Errors: the first page is read before the stream is returned, so a query that fails at all rejects here (the route
 * answers a JSON error, as before); a failure later errors the stream, with the worker's message.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";
import { settings, underNextRuntime } from "@/lib/env";
import type { BucketFilters, BucketQuery } from "@/lib/schemas/bucket-query";
import { startTypeScriptWorker } from "@/lib/workers/typescript-worker";
import type { BucketExportOptions } from "./bucket-export";

/** Encoded chunks (≈ 100 rows each) the worker may send ahead of the consumer. */
export const CREDIT_CHUNKS = 4;
/** How long a cancelled worker may take to close its connection and exit before it is terminated. */
const CANCEL_GRACE_MS = 5_000;
/** The worker's connections say so in pg_stat_activity (tests look for them there). */
export const EXPORT_WORKER_APPLICATION_NAME = "custody-export-worker";

export interface BucketExportSpec {
  filters: BucketFilters;
  sort: Pick<BucketQuery, "sort" | "dir">;
  format: "csv" | "json";
  options: BucketExportOptions;
}

export interface BucketExportJob extends BucketExportSpec {
  databaseUrl: string;
  credit: number;
}

export type FromExportWorker =
  | { type: "chunk"; bytes: Uint8Array }
  | { type: "done" }
  | { type: "error"; name: string; message: string; stack?: string };

export type ToExportWorker = { type: "ack" } | { type: "cancel" };

/** An error the worker reported (its name, message and stack), or the worker's own failure, explained. */
export class BucketExportWorkerError extends Error {}

/**
 * Heap caps of the worker (lib/env.ts). Old space: 64 MB by default; the export's live heap is one page of rows
 * with its control results. Young generation: 8 MB, as the evidence worker: V8 otherwise grows it to the allocation
 * rate (tens of MB, all resident).
 */
function workerResourceLimits(): NonNullable<WorkerOptions["resourceLimits"]> {
  const s = settings();
  return {
    maxOldGenerationSizeMb: s.CUSTODY_EXPORT_WORKER_HEAP_MB,
    maxYoungGenerationSizeMb: s.CUSTODY_EXPORT_WORKER_YOUNG_MB,
  };
}

function startExportWorker(job: BucketExportJob, resourceLimits: WorkerOptions["resourceLimits"]): Worker {
  // The options inline: Turbopack bundles the entry as a worker only in this form (lib/workers/typescript-worker.ts).
  if (underNextRuntime())
    return new Worker(new URL("./bucket-export-worker.ts", import.meta.url), {
      workerData: job,
      resourceLimits,
      stdout: false,
      stderr: false,
    });
  // Not `new URL(…)` again: the bundler would read that as another reference to the entry.
  const entry = import.meta.url.replace(/bucket-export-in-worker\.ts$/, "bucket-export-worker.ts");
  return startTypeScriptWorker(entry, import.meta.url, {
    workerData: job,
    resourceLimits,
    stdout: false,
    stderr: false,
  });
}

/** What a failed worker says, as an error someone can act on. */
function workerFailure(error: Error & { code?: string }, heapMb: number | undefined): BucketExportWorkerError {
  if (error.code === "ERR_WORKER_OUT_OF_MEMORY")
    return new BucketExportWorkerError(
      `the bucket export ran out of memory in its worker thread (old space capped at ${heapMb} MB, ` +
        `CUSTODY_EXPORT_WORKER_HEAP_MB): ${error.message}`,
    );
  const wrapped = new BucketExportWorkerError(`the bucket export worker failed: ${error.message}`);
  wrapped.stack = error.stack;
  return wrapped;
}

/**
 * Starts the export of `spec` in a worker thread. Resolves, once the worker has encoded its first page (or the whole
 * export, if smaller), with the export as a byte stream, and `exited`, which settles when the worker has exited
 * (its connection closed). Rejects if the worker fails before that.
 */
export async function startBucketExportInWorker(
  databaseUrl: string,
  spec: BucketExportSpec,
  limits: WorkerOptions["resourceLimits"] = workerResourceLimits(),
): Promise<{ body: ReadableStream<Uint8Array>; exited: Promise<number> }> {
  const worker = startExportWorker({ ...spec, databaseUrl, credit: CREDIT_CHUNKS }, limits);
  const queue: Uint8Array[] = [];
  let received = 0;
  let complete = false;
  let cancelled = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const wakeReader = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let markStarted!: () => void;
  let failStart!: (error: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  const fail = (error: Error, terminate: boolean) => {
    if (failure || complete || cancelled) return;
    failure = error;
    failStart(error);
    wakeReader();
    // A worker that reported its error closes its pool and exits by itself; one that broke down is stopped.
    if (terminate) void worker.terminate();
    else setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS).unref();
  };

  worker.on("message", (message: FromExportWorker) => {
    switch (message.type) {
      case "chunk":
        queue.push(message.bytes);
        // The header (or "[") and the first page's records: the query works, the download can start.
        if (++received === 2) markStarted();
        wakeReader();
        break;
      case "done":
        complete = true;
        markStarted();
        wakeReader();
        break;
      case "error": {
        const error = new BucketExportWorkerError(message.message);
        error.name = message.name;
        if (message.stack) error.stack = message.stack;
        fail(error, false);
        break;
      }
    }
  });
  // An uncaught error in the worker, including running out of its capped heap (ERR_WORKER_OUT_OF_MEMORY).
  worker.on("error", (error) => fail(workerFailure(error, limits?.maxOldGenerationSizeMb), true));
  const exited = new Promise<number>((resolve) =>
    worker.on("exit", (code) => {
      fail(
        new BucketExportWorkerError(`the bucket export worker exited (code ${code}) before the export was complete`),
        false,
      );
      resolve(code);
    }),
  );

  await started;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (!queue.length && !complete && !failure) await new Promise<void>((resolve) => (wake = resolve));
        const chunk = queue.shift();
        if (chunk) {
          controller.enqueue(chunk);
          worker.postMessage({ type: "ack" } satisfies ToExportWorker);
        } else if (failure) controller.error(failure);
        else controller.close();
      },
      cancel() {
        if (complete || failure) return;
        cancelled = true;
        worker.postMessage({ type: "cancel" } satisfies ToExportWorker);
        setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS).unref();
      },
    },
    // No queue of its own: a pull means the consumer has taken everything before it.
    { highWaterMark: 0 },
  );
  return { body, exited };
}
