/**
 * Re-evaluation after a scheme, classification or waiver change. Evaluations of the same process run one after
 * another (a promise chain), so a slow scheme-wide re-evaluation that read a bucket's waivers before an approval
 * can never overwrite the newer result of that approval. Large re-evaluations run in the background and report
 * progress in AppSetting "reevaluation" (what the banner shows); single buckets are awaited by the caller.
 *
 * In-process on purpose: the sync queue (pg-boss) lives on another branch; when it lands, scheme-wide jobs should
 * move onto it. A status left "running" by a process that died is reported as interrupted after STALE_MS.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import type { SchemeDiff } from "@/lib/domain/classification/diff-scheme";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { evaluateBuckets, type EvaluationSummary } from "@/lib/evaluation/evaluate-buckets";

export const REEVALUATION_SETTING = "reevaluation";
const STALE_MS = 10 * 60_000;

export interface ReevaluationStatus {
  id: string;
  state: "running" | "succeeded" | "failed" | "interrupted";
  reason: string;
  total: number;
  done: number;
  startedAt: string;
  finishedAt: string | null;
  schemeVersion: number | null;
  error: string | null;
}

/**
 * The buckets a scheme change re-evaluates, as diff-scheme.ts decides: every bucket, those at the levels whose
 * required controls changed, or none (null). The scheme editor and bench/reevaluate.ts both scope with it.
 */
export function schemeChangeScope(diff: SchemeDiff): Prisma.BucketWhereInput | null {
  if (diff.reevaluate === "none") return null;
  return diff.reevaluate === "all" ? {} : { levelKey: { in: diff.levelKeys } };
}

let chain: Promise<unknown> = Promise.resolve();

/** Run `fn` after every evaluation already queued in this process. */
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => undefined);
  return next;
}

/** Evaluate now (queued behind running evaluations) and wait: for one bucket after a classification or waiver change. */
export function reevaluateAndWait(client: Db, where: Prisma.BucketWhereInput): Promise<EvaluationSummary> {
  return serialized(() => evaluateBuckets(client, where));
}

async function writeStatus(client: Db, status: ReevaluationStatus): Promise<void> {
  const value = status as unknown as Prisma.InputJsonValue;
  await client.appSetting.upsert({
    where: { key: REEVALUATION_SETTING },
    create: { key: REEVALUATION_SETTING, value },
    update: { value },
  });
}

/**
 * Start a background re-evaluation of the buckets matching `where`; returns at once. `done` settles when it
 * finishes (tests await it; request handlers do not).
 */
export async function startReevaluation(
  client: Db,
  where: Prisma.BucketWhereInput,
  reason: string,
): Promise<{ id: string; total: number; done: Promise<ReevaluationStatus> }> {
  const scoped: Prisma.BucketWhereInput = { ...where, currentStateId: { not: null } };
  const total = await client.bucket.count({ where: scoped });
  const status: ReevaluationStatus = {
    id: randomUUID(),
    state: "running",
    reason,
    total,
    done: 0,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    schemeVersion: null,
    error: null,
  };
  await writeStatus(client, status);
  const done = serialized(async () => {
    try {
      const summary = await evaluateBuckets(client, scoped, {
        onBatch: async (evaluated) => {
          status.done = evaluated;
          await writeStatus(client, status);
        },
      });
      Object.assign(status, {
        state: "succeeded",
        done: summary.evaluated,
        schemeVersion: summary.schemeVersion,
        finishedAt: new Date().toISOString(),
      });
    } catch (error) {
      logger.error({ err: error, reevaluation: status.id }, "re-evaluation failed");
      Object.assign(status, {
        state: "failed",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date().toISOString(),
      });
    }
    await writeStatus(client, status);
    return { ...status };
  });
  return { id: status.id, total, done };
}

export async function readReevaluationStatus(client: Db): Promise<ReevaluationStatus | null> {
  const row = await client.appSetting.findUnique({
    where: { key: REEVALUATION_SETTING },
    select: { value: true, updatedAt: true },
  });
  if (!row) return null;
  const status = row.value as unknown as ReevaluationStatus;
  if (status.state === "running" && Date.now() - row.updatedAt.getTime() > STALE_MS)
    return { ...status, state: "interrupted" };
  return status;
}
