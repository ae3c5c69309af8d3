/**
 * A sync run over many accounts, inline in this process with bounded concurrency. Used by the demo load and the
 * CLI; the job queue (one job per account) calls the same `syncAccount` per job.
 */
import type { AwsConnector } from "@/lib/sources/shared/connector";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import type { Db } from "@/lib/db/prisma";
import { evaluateAccountControlsAfterSync } from "@/lib/evaluation/evaluate-account-controls";
import { snapshotCoverage } from "@/lib/sync/coverage-snapshot";
import { snapshotPosture } from "@/lib/sync/posture-history";
import { syncAccount, type AccountSyncOutcome, type SyncAccountOptions } from "@/lib/sync/sync-account";

export interface RunSyncOptions extends SyncAccountOptions {
  trigger: "manual" | "schedule" | "demo" | "cli";
  accountIds?: string[];
  requestedById?: string | null;
  accountConcurrency?: number;
  onAccountDone?: (outcome: AccountSyncOutcome, done: number, total: number) => void;
}

export async function runSync(client: Db, connector: AwsConnector, options: RunSyncOptions) {
  const accounts = await client.account.findMany({
    where: { enabled: true, ...(options.accountIds ? { id: { in: options.accountIds } } : {}) },
    select: { id: true, roleArn: true, externalId: true },
    orderBy: { id: "asc" },
  });
  const run = await client.syncRun.create({
    data: {
      trigger: options.trigger,
      status: "running",
      startedAt: new Date(),
      requestedById: options.requestedById ?? null,
      accountsTotal: accounts.length,
    },
  });
  const before = Object.values(connector.callCounts()).reduce((a, b) => a + b, 0);
  let done = 0;
  const outcomes = await mapWithConcurrency(accounts, options.accountConcurrency ?? 4, async (account) => {
    // An unexpected error (a database hiccup, a bug) fails this account only; the others carry on.
    const outcome: AccountSyncOutcome = await syncAccount(
      client,
      connector,
      { syncRunId: run.id, account },
      options,
    ).catch((error: unknown) => ({
      accountId: account.id,
      status: "failed" as const,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      buckets: 0,
    }));
    const position = ++done;
    await client.syncRun.update({
      where: { id: run.id },
      data: {
        accountsDone: { increment: 1 },
        ...(outcome.status === "failed" ? { accountsFailed: { increment: 1 } } : {}),
      },
    });
    options.onAccountDone?.(outcome, position, accounts.length);
    return outcome;
  });
  const failed = outcomes.filter((o) => o.status === "failed").length;
  const partial = outcomes.filter((o) => o.status === "partial").length;
  const status =
    failed === accounts.length && accounts.length > 0 ? "failed" : failed + partial > 0 ? "partial" : "succeeded";
  const calls = Object.values(connector.callCounts()).reduce((a, b) => a + b, 0) - before;
  await client.syncRun.update({ where: { id: run.id }, data: { status, finishedAt: new Date(), calls } });
  // Org-wide step: an organisation trail's reads come from the management account, which may sync after a member.
  await evaluateAccountControlsAfterSync(
    client,
    run.id,
    accounts.map((a) => a.id),
  );
  // Today's coverage aggregate (the trend chart's data point) reflects the evaluation this run just did.
  await snapshotCoverage(client, new Date());
  await snapshotPosture(client, run.id, new Date());
  return { syncRunId: run.id, status, outcomes };
}
