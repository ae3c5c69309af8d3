/**
 * Builds an evidence bundle (write-bundle.ts) in a worker thread and streams its ZIP into `out` on this thread.
 *
 * Why a worker: a whole-estate bundle re-evaluates every bucket and writes ≈ 1 GB of text, and V8 sizes a heap to
 * its allocation rate — in the web process that grew RSS by 220–264 MB although the live heap stayed under 60 MB
 * (docs/performance.md, Benchmark 4). A worker has its own heap, capped by `resourceLimits`, so the churn is
 * collected in a small heap and the web process's own heap is not grown by it.
 *
 * Back-pressure: the worker may have at most CREDIT_CHUNKS chunks unacknowledged; this thread acknowledges a chunk
 * once `out` took it without asking to wait (or on its next 'drain'), so a slow download pauses the worker instead
 * of buffering the ZIP. The bundle's record (`onManifest`: the DAL's insert and audit) runs here, on the caller's
 * connection; the worker waits for it before writing manifest.json, as writeEvidenceBundle does in-process.
 */
import type { Writable } from "node:stream";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { settings, underNextRuntime } from "@/lib/env";
import type { EvidenceRequest } from "@/lib/schemas/evidence";
import { startTypeScriptWorker } from "@/lib/workers/typescript-worker";
import type { BundleResult, Snapshot } from "./write-bundle";

/** Chunks (archiver's output, ≈ 16 KB each) the worker may send ahead of the consumer. */
export const CREDIT_CHUNKS = 4;

export interface BundleJob {
  databaseUrl: string;
  request: EvidenceRequest;
  createdBy: { id: string; email: string };
  createdAt: Date;
  format?: string;
  snapshot?: Snapshot;
  credit: number;
}

export type FromWorker =
  | { type: "chunk"; bytes: Uint8Array }
  | { type: "manifest"; result: BundleResult }
  | { type: "done"; result: BundleResult }
  | { type: "error"; name: string; message: string; stack?: string };

export type ToWorker = { type: "ack" } | { type: "manifest-recorded" } | { type: "manifest-failed"; message: string };

/** Thrown here for an error the worker reported; keeps the worker's name and stack. */
export class BundleWorkerError extends Error {}

/**
 * Heap caps of the worker (lib/env.ts). Old space: 160 MB by default; the bundle's live heap stays ≈ 40–60 MB at
 * 100,000 buckets. Young generation: 8 MB by default. The bundle allocates short-lived strings and rows at a high
 * rate, and V8 grows the young generation to match (tens of MB, all resident); 8 MB keeps it small for no measurable
 * time (whole estate, 100,000 buckets: RSS growth 100 → 80 MB, 67 → 69 s; docs/performance.md, Benchmark 4).
 */
function workerResourceLimits(): WorkerOptions["resourceLimits"] {
  const s = settings();
  return {
    maxOldGenerationSizeMb: s.CUSTODY_EVIDENCE_WORKER_HEAP_MB,
    maxYoungGenerationSizeMb: s.CUSTODY_EVIDENCE_WORKER_YOUNG_MB,
  };
}

/** Under `next start`, Turbopack bundles the entry as a worker (see lib/workers/typescript-worker.ts); elsewhere tsx loads it. */
function startBundleWorker(job: BundleJob): Worker {
  // The options inline: Turbopack bundles the entry as a worker only in this form.
  if (underNextRuntime())
    return new Worker(new URL("./bundle-worker.ts", import.meta.url), {
      workerData: job,
      resourceLimits: workerResourceLimits(),
      stdout: false,
      stderr: false,
    });
  // Not `new URL(…)` again: the bundler would read that as another reference to the entry.
  const entry = import.meta.url.replace(/bundle-in-worker\.ts$/, "bundle-worker.ts");
  return startTypeScriptWorker(entry, import.meta.url, {
    workerData: job,
    resourceLimits: workerResourceLimits(),
    stdout: false,
    stderr: false,
  });
}

export function writeEvidenceBundleInWorker(
  databaseUrl: string,
  args: {
    request: EvidenceRequest;
    createdBy: { id: string; email: string };
    createdAt: Date;
    format?: string;
    snapshot?: Snapshot;
    out: Writable;
    onManifest?: (result: BundleResult) => Promise<void>;
  },
): Promise<BundleResult> {
  const job: BundleJob = {
    databaseUrl,
    request: args.request,
    createdBy: args.createdBy,
    createdAt: args.createdAt,
    format: args.format,
    snapshot: args.snapshot,
    credit: CREDIT_CHUNKS,
  };
  const worker = startBundleWorker(job);
  const { out } = args;
  return new Promise<BundleResult>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null, result?: BundleResult) => {
      if (settled) return;
      settled = true;
      out.off("close", onClose);
      if (error) {
        void worker.terminate();
        reject(error);
      } else resolve(result!);
    };
    const send = (message: ToWorker) => {
      if (!settled) worker.postMessage(message);
    };
    const ack = () => send({ type: "ack" });
    // The consumer went away (download aborted, stream destroyed): stop building.
    const onClose = () => settle(new Error("the bundle's stream was closed before the bundle was complete"));
    out.on("close", onClose);
    worker.on("message", (message: FromWorker) => {
      switch (message.type) {
        case "chunk": {
          const buf = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
          if (out.write(buf)) ack();
          else out.once("drain", ack);
          break;
        }
        case "manifest":
          (args.onManifest ?? (async () => {}))(message.result).then(
            () => send({ type: "manifest-recorded" }),
            (error: unknown) => {
              send({ type: "manifest-failed", message: error instanceof Error ? error.message : String(error) });
              settle(error instanceof Error ? error : new Error(String(error)));
            },
          );
          break;
        case "done":
          // Every chunk came before this message (one port, in order): the ZIP is complete.
          settled = true;
          out.off("close", onClose);
          out.end();
          resolve(message.result);
          break;
        case "error": {
          const error = new BundleWorkerError(message.message);
          error.name = message.name;
          if (message.stack) error.stack = message.stack;
          settle(error);
          break;
        }
      }
    });
    // An uncaught error in the worker, including running out of its capped heap (ERR_WORKER_OUT_OF_MEMORY).
    worker.on("error", (error) => settle(error));
    worker.on("exit", (code) =>
      settle(new Error(`the evidence bundle worker exited (code ${code}) before the bundle was complete`)),
    );
  });
}
