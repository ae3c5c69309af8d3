/**
 * Worker-thread entry (started by bundle-in-worker.ts): builds one evidence bundle with its own database
 * connections and posts the ZIP to the parent in chunks, never more than `job.credit` ahead of the parent's acks.
 */
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { parentPort, workerData } from "node:worker_threads";
import { bulkOnlyClient, closeBulkPools, createPrismaClient } from "@/lib/db/prisma";
import type { BundleJob, FromWorker, ToWorker } from "./bundle-in-worker";
import { writeEvidenceBundle } from "./write-bundle";

const port = parentPort!;
const job = workerData as BundleJob;
const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

let credit = job.credit;
let blocked: (() => void) | null = null;
let manifestReply: { resolve: () => void; reject: (error: Error) => void } | null = null;
port.on("message", (message: ToWorker) => {
  if (message.type === "ack") {
    credit++;
    const resume = blocked;
    blocked = null;
    resume?.();
  } else if (message.type === "manifest-recorded") manifestReply?.resolve();
  else manifestReply?.reject(new Error(message.message));
});

const out = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    // A copy of our own to transfer (a chunk may be a view into a buffer shared with others).
    const bytes = new Uint8Array(chunk);
    credit--;
    post({ type: "chunk", bytes }, [bytes.buffer as ArrayBuffer]);
    if (credit > 0) callback();
    else blocked = callback; // the parent's consumer is behind: wait for an ack
  },
});

// With the snapshot resolved by the caller every read goes through the bulk pg pool: no Prisma client is built.
const client = job.snapshot ? bulkOnlyClient(job.databaseUrl) : createPrismaClient(job.databaseUrl, { poolSize: 2 });
try {
  const result = await writeEvidenceBundle(client, {
    request: job.request,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    format: job.format,
    snapshot: job.snapshot,
    out,
    onManifest: (manifest) =>
      new Promise<void>((resolve, reject) => {
        manifestReply = { resolve, reject };
        post({ type: "manifest", result: manifest });
      }),
  });
  await finished(out);
  post({ type: "done", result });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ type: "error", name: e.name, message: e.message, stack: e.stack });
} finally {
  await client.$disconnect().catch(() => {});
  await closeBulkPools();
  port.close();
}
