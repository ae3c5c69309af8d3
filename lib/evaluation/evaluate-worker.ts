/**
 * Worker-thread entry (started by evaluate-in-workers.ts): loads an evaluation context with its own database
 * connections, as of the starting thread's time and scheme version, then evaluates and writes each page of bucket
 * ids it is sent (each page in its own transaction) and says how many buckets it evaluated, until told to close.
 */
import { parentPort, workerData } from "node:worker_threads";
import { closeBulkPools, createPrismaClient } from "@/lib/db/prisma";
import { pageEvaluator } from "@/lib/evaluation/evaluate-buckets";
import { loadEvaluationContext } from "@/lib/evaluation/evaluation-context";
import type {
  EvaluationWorkerJob,
  FromEvaluationWorker,
  ToEvaluationWorker,
} from "@/lib/evaluation/evaluate-in-workers";

const port = parentPort!;
const job = workerData as EvaluationWorkerJob;
const post = (message: FromEvaluationWorker) => port.postMessage(message);
const failed = (seq: number | null, error: unknown): FromEvaluationWorker => {
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: "failed", seq, name: e.name, message: e.message, stack: e.stack };
};

// Two connections for Prisma (the context's account list), the bulk pool for everything else.
const client = createPrismaClient(job.databaseUrl, { poolSize: 2 });
const shutdown = async () => {
  await client.$disconnect().catch(() => {});
  await closeBulkPools();
  port.close();
};

try {
  const context = await loadEvaluationContext(client, { buckets: job.scope }, undefined, job.fixed);
  const evaluator = pageEvaluator(client, context, job.ownerKey);
  port.on("message", (message: ToEvaluationWorker) => {
    if (message.type === "close") void shutdown();
    else
      evaluator.evaluateIds(message.ids).then(
        (count) => post({ type: "evaluated", seq: message.seq, count }),
        (error: unknown) => post(failed(message.seq, error)),
      );
  });
  post({ type: "ready" });
} catch (error) {
  post(failed(null, error));
  await shutdown();
}
