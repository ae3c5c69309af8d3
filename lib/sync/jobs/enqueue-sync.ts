/**
 * Start a sync run: one SyncRun, one SyncRunAccount row and one queue job per account. Accounts already queued or
 * running in another run are left to that run (a second "sync now" never doubles the work).
 */
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import type { Db } from "@/lib/db/prisma";
import { SYNC_ACCOUNT_QUEUE, type SyncAccountJobData } from "@/lib/sync/jobs/queue";
import { reapInterruptedJobs } from "@/lib/sync/jobs/reap-interrupted";

export type SyncTrigger = "manual" | "schedule" | "cli";

export interface EnqueueSyncResult {
  /** The new run, or the run already syncing these accounts when there was nothing new to queue. */
  syncRunId: string | null;
  queued: number;
  /** Accounts skipped because another run is already syncing them. */
  alreadySyncing: number;
}

export async function enqueueSync(
  client: Db,
  boss: Pick<PgBoss, "insert" | "fail">,
  input: {
    trigger: SyncTrigger;
    accountIds?: string[];
    requestedById?: string | null;
    interruptedAfterSeconds?: number;
  },
): Promise<EnqueueSyncResult> {
  // An account whose worker died is not "already syncing": settle those first (they are failed or retried).
  await reapInterruptedJobs(client, boss, { graceSeconds: input.interruptedAfterSeconds });
  const accounts = await client.account.findMany({
    where: { enabled: true, ...(input.accountIds ? { id: { in: input.accountIds } } : {}) },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const ids = accounts.map((a) => a.id);
  const busy = await client.syncRunAccount.findMany({
    where: { accountId: { in: ids }, status: { in: ["queued", "running"] } },
    select: { accountId: true, syncRunId: true },
  });
  const busyIds = new Set(busy.map((b) => b.accountId));
  const todo = ids.filter((id) => !busyIds.has(id));
  if (todo.length === 0) return { syncRunId: busy[0]?.syncRunId ?? null, queued: 0, alreadySyncing: busy.length };

  const jobs = todo.map((accountId) => ({ accountId, jobId: randomUUID() }));
  const run = await client.$transaction(async (tx) => {
    const created = await tx.syncRun.create({
      data: {
        trigger: input.trigger,
        status: "queued",
        requestedById: input.requestedById ?? null,
        accountsTotal: todo.length,
      },
      select: { id: true },
    });
    await tx.syncRunAccount.createMany({
      data: jobs.map((j) => ({ syncRunId: created.id, accountId: j.accountId, jobId: j.jobId })),
    });
    return created;
  });
  // The rows exist before the jobs, so a worker never picks up a job whose run it cannot find.
  await boss.insert(
    jobs.map((j) => ({
      id: j.jobId,
      name: SYNC_ACCOUNT_QUEUE,
      data: { syncRunId: run.id, accountId: j.accountId } satisfies SyncAccountJobData,
    })),
  );
  return { syncRunId: run.id, queued: todo.length, alreadySyncing: busy.length };
}
