/**
 * One account's sync: assume its role, then get → transform → load for S3 (account-wide listing, then every bucket
 * in its own region), AWS Config and Macie per region, then re-evaluate the account's buckets.
 *
 * Failure isolation: a role that cannot be assumed fails this account only (its last good data stays visible and
 * the account is shown as failed with the reason); a region or collector that fails is recorded on its task and
 * makes the account "partial"; a bucket setting that cannot be read is `unknown` on that bucket only.
 * This function is the body of a sync job: the inline runner (run-sync.ts) and the queue worker both call it.
 */
import { AssumeRoleError, type AwsConnector } from "@/lib/collectors/aws-clients";
import { mapWithConcurrency } from "@/lib/collectors/map-with-concurrency";
import { collectConfigRegion } from "@/lib/collectors/config";
import { collectMacieRegion } from "@/lib/collectors/macie";
import { collectS3Account } from "@/lib/collectors/s3";
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { evaluateAccountBuckets } from "@/lib/evaluation/evaluate-buckets";
import { loadConfigRegion, loadMacieRegion } from "@/lib/sync/load-config-macie";
import { loadS3Account } from "@/lib/sync/load-s3";

export interface SyncAccountOptions {
  /** Regions for Config and Macie. Default: the regions the account's buckets are in, plus its home region. */
  regions?: string[];
  homeRegion?: string;
  bucketConcurrency?: number;
  /** Regions collected at once (Config + Macie). Default 4. */
  regionConcurrency?: number;
  /** Progress for the accounts page; called often, so the receiver decides how often to persist it. */
  onProgress?: (progress: SyncAccountProgress) => void;
}

export interface SyncAccountProgress {
  bucketsTotal?: number;
  bucketsRead?: number;
  regionsTotal?: number;
  regionsDone?: number;
  errors?: number;
}

export type AccountSyncOutcome = {
  accountId: string;
  status: "succeeded" | "partial" | "failed";
  error: string | null;
  buckets: number;
};

async function task<T>(
  client: Db,
  ids: { syncRunId: string; accountId: string; region: string; collector: string },
  work: () => Promise<{ result: T; itemsRead: number; error: { code: string; message: string } | null }>,
): Promise<{ result: T | null; failed: boolean }> {
  const row = await client.syncTask.create({ data: { ...ids, status: "running", startedAt: new Date() } });
  try {
    const { result, itemsRead, error } = await work();
    await client.syncTask.update({
      where: { id: row.id },
      data: {
        status: error ? "failed" : "succeeded",
        finishedAt: new Date(),
        itemsRead,
        errorCode: error?.code ?? null,
        errorMessage: error?.message ?? null,
      },
    });
    return { result, failed: error !== null };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    await client.syncTask.update({
      where: { id: row.id },
      data: { status: "failed", finishedAt: new Date(), errorCode: err.name, errorMessage: err.message.slice(0, 2000) },
    });
    return { result: null, failed: true };
  }
}

export async function syncAccount(
  client: Db,
  connector: AwsConnector,
  input: { syncRunId: string; account: { id: string; roleArn: string; externalId: string } },
  options: SyncAccountOptions = {},
): Promise<AccountSyncOutcome> {
  const { syncRunId, account } = input;
  const accountId = account.id;
  const startedAt = new Date();
  const homeRegion = options.homeRegion ?? "us-east-1";

  let clients;
  try {
    clients = await connector.connect({ accountId, roleArn: account.roleArn, externalId: account.externalId });
  } catch (e) {
    const code = e instanceof AssumeRoleError ? e.code : e instanceof Error ? e.name : "Error";
    const explanation = e instanceof AssumeRoleError ? e.explanation : e instanceof Error ? e.message : String(e);
    await client.syncTask.create({
      data: {
        syncRunId,
        accountId,
        region: "global",
        collector: "sts",
        status: "failed",
        startedAt,
        finishedAt: new Date(),
        errorCode: code,
        errorMessage: explanation,
      },
    });
    await client.account.update({
      where: { id: accountId },
      data: { lastSyncStatus: "failed", lastSyncAt: startedAt, lastError: explanation, lastErrorCode: code },
    });
    return { accountId, status: "failed", error: `${code}: ${explanation}`, buckets: 0 };
  }

  let failures = 0;
  const readAt = new Date();

  // S3: account-wide listing and per-bucket settings, then account-level Block Public Access.
  const runS3 = () =>
    task(client, { syncRunId, accountId, region: "global", collector: "s3" }, async () => {
      const collection = await collectS3Account(clients, {
        accountId,
        homeRegion,
        bucketConcurrency: options.bucketConcurrency,
        onProgress: (p) => options.onProgress?.({ bucketsTotal: p.bucketsTotal, bucketsRead: p.bucketsDone }),
      });
      const loaded = await loadS3Account(client, {
        syncRunId,
        accountId,
        readAt,
        buckets: collection.buckets,
        listingComplete: collection.listError === null,
      });
      await client.account.update({
        where: { id: accountId },
        data: {
          s3AccountSettings: collection.accountSettings as unknown as Prisma.InputJsonValue,
          s3AccountSettingsReadAt: readAt,
        },
      });
      return { result: { collection, loaded }, itemsRead: collection.buckets.length, error: collection.listError };
    });

  // AWS Config and Macie, per region: the two collectors of a region run side by side.
  let regionsDone = 0;
  const runRegions = (regions: string[]) => {
    options.onProgress?.({ regionsTotal: regions.length, regionsDone: 0 });
    return mapWithConcurrency(regions, options.regionConcurrency ?? 4, async (region) => {
      const [config, macie] = await Promise.all([
        task(client, { syncRunId, accountId, region, collector: "config" }, async () => {
          const collection = await collectConfigRegion(clients.config(region), { accountId, region });
          const loaded = await loadConfigRegion(client, { syncRunId, accountId, region, readAt, collection });
          return { result: loaded, itemsRead: collection.evaluations.length, error: collection.error };
        }),
        task(client, { syncRunId, accountId, region, collector: "macie" }, async () => {
          const collection = await collectMacieRegion(clients.macie(region), { accountId, region });
          const loaded = await loadMacieRegion(client, { syncRunId, accountId, region, readAt, collection });
          const error =
            collection.error ??
            (collection.session.status === "unknown"
              ? { code: collection.session.errorCode, message: collection.session.reason }
              : null);
          return { result: loaded, itemsRead: collection.findings.length, error };
        }),
      ]);
      if (config.failed) failures++;
      if (macie.failed) failures++;
      regionsDone++;
      options.onProgress?.({ regionsDone, errors: failures });
    });
  };

  // With a configured region list, S3 and the regional collectors overlap (the per-call latency of one hides behind
  // the other). Otherwise the regions are those the account's buckets are in, plus its home region: known only after
  // the S3 listing.
  let s3: Awaited<ReturnType<typeof runS3>>;
  if (options.regions) {
    [s3] = await Promise.all([runS3(), runRegions(options.regions)]);
  } else {
    s3 = await runS3();
    const bucketRegions = new Set(s3.result?.collection.buckets.map((b) => b.region) ?? []);
    await runRegions([...new Set([homeRegion, ...bucketRegions])].filter((r) => r !== "unknown").sort());
  }
  if (s3.failed) failures++;
  options.onProgress?.({ errors: failures });
  const s3Failed = s3.result === null || s3.result.collection.listError !== null;

  await evaluateAccountBuckets(client, accountId);

  const status = s3Failed ? "failed" : failures > 0 ? "partial" : "succeeded";
  const error = s3Failed
    ? `Could not list the account's buckets${s3.result?.collection.listError ? `: ${s3.result.collection.listError.code}: ${s3.result.collection.listError.message}` : ""}`
    : failures > 0
      ? `${failures} collector task(s) failed; see the sync history`
      : null;
  await client.account.update({
    where: { id: accountId },
    data: {
      lastSyncStatus: status,
      lastSyncAt: startedAt,
      ...(status === "failed" ? {} : { lastSuccessAt: readAt }),
      lastError: error,
      lastErrorCode: status === "succeeded" ? null : status,
    },
  });
  return { accountId, status, error, buckets: s3.result?.collection.buckets.length ?? 0 };
}
