/**
 * npm run sync -- [--account <id>] [--wait]
 * Queues a sync of every enabled account (or one). Workers (npm start, npm run worker) pick it up. With --wait this
 * process also works on the queue, prints progress per account, and exits 1 if any account failed.
 */
import { parseArgs } from "node:util";
import { AccountIdSchema } from "@/lib/schemas/accounts";
import { demoChangesFrom } from "@/lib/events/demo-change";
import { connectorModeFrom, createConnector } from "@/lib/sources/connector-factory";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { startSyncWorker } from "@/lib/sync/jobs/worker";
import { workerSettingsFrom } from "@/lib/sync/jobs/worker-settings";
import { describeCliError, openDatabase } from "./cli-database";

const { values } = parseArgs({ options: { account: { type: "string" }, wait: { type: "boolean", default: false } } });
if (values.account !== undefined && !AccountIdSchema.safeParse(values.account).success) {
  console.error("--account must be a 12-digit AWS account id");
  process.exit(2);
}

const db = await openDatabase();
let code = 0;
let worker: Awaited<ReturnType<typeof startSyncWorker>> | null = null;
try {
  const mode = connectorModeFrom();
  worker = await startSyncWorker({
    client: db.prisma,
    databaseUrl: db.database.url,
    connectorFactory: () => createConnector(mode, undefined, { demoChanges: demoChangesFrom(db.prisma) }),
    ...workerSettingsFrom(),
    // Only --wait works on the queue here; otherwise this process just enqueues.
    concurrency: values.wait ? workerSettingsFrom().concurrency : 0,
    schedule: false,
    supervise: values.wait,
    log: () => {},
  });
  if (
    values.account &&
    !(await db.prisma.account.findUnique({ where: { id: values.account }, select: { id: true } }))
  ) {
    throw new Error(`Account ${values.account} is not linked (npm run accounts:add -- --role-arn …).`);
  }
  const r = await enqueueSync(db.prisma, worker.boss, {
    trigger: "cli",
    accountIds: values.account ? [values.account] : undefined,
  });
  if (!r.syncRunId) throw new Error("No enabled accounts to sync.");
  console.log(
    r.queued
      ? `Sync run ${r.syncRunId}: ${r.queued} account(s) queued${r.alreadySyncing ? `, ${r.alreadySyncing} already syncing in another run` : ""}.`
      : `Already syncing in run ${r.syncRunId}; following that run.`,
  );
  if (!values.wait) {
    console.log("A worker (npm start or npm run worker) will run it; follow it on the Accounts page, or use --wait.");
  } else {
    const printed = new Map<string, string>();
    for (;;) {
      const [run, accounts] = await Promise.all([
        db.prisma.syncRun.findUniqueOrThrow({
          where: { id: r.syncRunId },
          select: {
            finishedAt: true,
            status: true,
            accountsDone: true,
            accountsTotal: true,
            accountsFailed: true,
            calls: true,
            startedAt: true,
          },
        }),
        db.prisma.syncRunAccount.findMany({
          where: { syncRunId: r.syncRunId },
          orderBy: { accountId: "asc" },
          select: {
            accountId: true,
            status: true,
            regionsDone: true,
            regionsTotal: true,
            bucketsRead: true,
            bucketsTotal: true,
            errors: true,
            error: true,
          },
        }),
      ]);
      for (const a of accounts) {
        const line = `${a.accountId}  ${a.status.padEnd(9)} regions ${a.regionsDone}/${a.regionsTotal}  buckets ${a.bucketsRead}/${a.bucketsTotal}  errors ${a.errors}${a.error ? `  — ${a.error}` : ""}`;
        if (printed.get(a.accountId) !== line) {
          console.log(line);
          printed.set(a.accountId, line);
        }
      }
      if (run.finishedAt) {
        const seconds = run.startedAt ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1) : "?";
        console.log(
          `Run ${run.status}: ${run.accountsDone}/${run.accountsTotal} account(s), ${run.accountsFailed} failed, ${run.calls} AWS calls, ${seconds} s.`,
        );
        if (run.accountsFailed > 0) code = 1;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
} catch (error) {
  console.error(describeCliError(error));
  code = 1;
} finally {
  await worker?.stop();
  await db.close();
}
process.exit(code);
