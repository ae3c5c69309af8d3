/**
 * Evaluates pages of buckets in worker threads (evaluate-worker.ts), for a re-evaluation large enough to use both
 * cores (issue 19). Each worker opens its own connections, loads its own evaluation context as of the starting
 * thread's time and scheme version, and evaluates and writes each page of ids it is sent, end to end, in its own
 * transaction — exactly what `pageEvaluator` does on this thread, which is the fallback when no worker starts.
 *
 * Entry resolution as for the evidence bundle (bundle-in-worker.ts): under `next start` Turbopack bundles the entry
 * it finds in `new Worker(new URL(…, import.meta.url), { …inline options })`; under tsx (scripts, the sync worker,
 * vitest, benchmarks) a small bootstrap loads the TypeScript entry through tsx's API, since Node 20 does not pass a
 * parent's loader hooks to a worker.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { underNextRuntime } from "@/lib/env";
import { logger } from "@/lib/logger";
import { startTypeScriptWorker } from "@/lib/workers/typescript-worker";
import type { PageEvaluator } from "@/lib/evaluation/evaluate-buckets";
import type { FixedEvaluation } from "@/lib/evaluation/evaluation-context";

export interface EvaluationWorkerJob {
  databaseUrl: string;
  /** The account the evaluation is limited to, if one: the worker then reads only its account-wide rows. */
  scope: { accountId?: string };
  fixed: FixedEvaluation;
  ownerKey: string;
}

export type ToEvaluationWorker = { type: "page"; seq: number; ids: number[] } | { type: "close" };

export type FromEvaluationWorker =
  | { type: "ready" }
  | { type: "evaluated"; seq: number; count: number }
  /** seq null: the worker could not load its context and stops. */
  | { type: "failed"; seq: number | null; name: string; message: string; stack?: string };

/** An error a worker reported for a page (or at its start); keeps the worker's name and stack. */
export class EvaluationWorkerError extends Error {}

/** Two on this machine (2 cores): more threads than cores only adds switching, and Postgres needs its share. */
export function defaultEvaluationThreads(): number {
  return Math.min(2, availableParallelism());
}

function startEvaluationWorker(job: EvaluationWorkerJob): Worker {
  // The options inline: Turbopack bundles the entry as a worker only in this form.
  if (underNextRuntime())
    return new Worker(new URL("./evaluate-worker.ts", import.meta.url), {
      workerData: job,
      stdout: false,
      stderr: false,
    });
  // Not `new URL(…)` again: the bundler would read that as another reference to the entry.
  const entry = import.meta.url.replace(/evaluate-in-workers\.ts$/, "evaluate-worker.ts");
  return startTypeScriptWorker(entry, import.meta.url, { workerData: job, stdout: false, stderr: false });
}

const errorFrom = (message: Extract<FromEvaluationWorker, { type: "failed" }>) => {
  const error = new EvaluationWorkerError(message.message);
  error.name = message.name;
  if (message.stack) error.stack = message.stack;
  return error;
};

type Pending = { resolve: (count: number) => void; reject: (error: Error) => void };

/** One started worker: its pages in flight, and why it stopped (null while it runs). */
class EvaluationThread {
  readonly pending = new Map<number, Pending>();
  stopped: Error | null = null;
  readonly exited: Promise<void>;

  constructor(readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (message: FromEvaluationWorker) => {
      if (message.type === "evaluated") this.settle(message.seq, null, message.count);
      else if (message.type === "failed" && message.seq !== null) this.settle(message.seq, errorFrom(message));
    });
    // An uncaught error or an exit while pages are in flight fails those pages (their transactions die with the
    // worker's connections and roll back); pages committed before stay committed.
    worker.on("error", (error) => this.stop(error));
    worker.on("exit", (code) => this.stop(new Error(`an evaluation worker exited (code ${code})`)));
  }

  private settle(seq: number, error: Error | null, count = 0) {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    if (error) p.reject(error);
    else p.resolve(count);
  }

  private stop(error: Error) {
    this.stopped ??= error;
    for (const seq of [...this.pending.keys()]) this.settle(seq, error);
  }

  evaluate(seq: number, ids: number[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ type: "page", seq, ids } satisfies ToEvaluationWorker);
    });
  }
}

/** Resolves with the worker once it has loaded its context, or with the reason it could not. */
function started(worker: Worker): Promise<Worker | Error> {
  return new Promise((resolve) => {
    const done = (result: Worker | Error) => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      resolve(result);
    };
    const onMessage = (message: FromEvaluationWorker) => {
      if (message.type === "ready") done(worker);
      else if (message.type === "failed" && message.seq === null) done(errorFrom(message));
    };
    const onError = (error: Error) => done(error);
    const onExit = (code: number) => done(new Error(`an evaluation worker exited (code ${code}) before it started`));
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

export interface EvaluationWorkers extends PageEvaluator {
  /** Workers that started. */
  size: number;
  /** Let the workers close their connections and exit. */
  close(): Promise<void>;
}

/**
 * Starts `count` workers and waits until they have loaded their contexts. Null when none started (the caller then
 * evaluates in its own thread); fewer than `count` when some did not.
 */
export async function startEvaluationWorkers(
  count: number,
  job: EvaluationWorkerJob,
): Promise<EvaluationWorkers | null> {
  const outcomes = await Promise.all(
    Array.from({ length: count }, () => {
      try {
        return started(startEvaluationWorker(job));
      } catch (error) {
        return Promise.resolve(error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  const threads = outcomes.filter((o): o is Worker => !(o instanceof Error)).map((w) => new EvaluationThread(w));
  const failures = outcomes.filter((o): o is Error => o instanceof Error);
  if (failures.length > 0)
    logger.warn(
      { err: failures[0], started: threads.length, wanted: count },
      threads.length === 0
        ? "evaluation workers could not start; evaluating in this thread"
        : "some evaluation workers could not start",
    );
  if (threads.length === 0) return null;
  logger.info({ threads: threads.length }, "evaluating in worker threads");

  let seq = 0;
  return {
    size: threads.length,
    evaluateIds(ids) {
      // The running worker with the fewest pages in flight.
      let best: EvaluationThread | null = null;
      for (const t of threads)
        if (t.stopped === null && (best === null || t.pending.size < best.pending.size)) best = t;
      if (best === null) return Promise.reject(threads[0]!.stopped ?? new Error("no evaluation worker is running"));
      return best.evaluate(seq++, ids);
    },
    async close() {
      await Promise.all(
        threads.map(async (t) => {
          if (t.stopped === null) t.worker.postMessage({ type: "close" } satisfies ToEvaluationWorker);
          // A worker that does not wind down (a connection that will not close) is ended after 10 s.
          const timer = setTimeout(() => void t.worker.terminate(), 10_000);
          await t.exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
