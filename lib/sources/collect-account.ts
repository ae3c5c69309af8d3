/**
 * The S3, Config and Macie collectors for one account, with no database: assume the role, then S3 (account-wide)
 * and Config + Macie per region. A test helper (the fixture AWS's and the allow-list's tests read its typed fields);
 * the production sync (lib/sync/sync-account.ts) runs every registered source's step with its load instead.
 */
import { configService, collectConfigRegion, type ConfigRegionCollection } from "@/lib/sources/config/collect";
import { macieService, collectMacieRegion, type MacieRegionCollection } from "@/lib/sources/macie/collect";
import { collectS3Account, type S3AccountCollection } from "@/lib/sources/s3/collect";
import { AssumeRoleError, type AccountRef, type AwsConnector } from "@/lib/sources/shared/connector";

export type AccountCollection =
  | {
      accountId: string;
      connected: true;
      s3: S3AccountCollection;
      config: Record<string, ConfigRegionCollection>;
      macie: Record<string, MacieRegionCollection>;
    }
  | { accountId: string; connected: false; error: AssumeRoleError };

export async function collectAccount(
  connector: AwsConnector,
  account: AccountRef,
  opts: { homeRegion: string; regions: readonly string[]; bucketConcurrency?: number },
): Promise<AccountCollection> {
  let clients;
  try {
    clients = await connector.connect(account);
  } catch (err) {
    if (err instanceof AssumeRoleError) return { accountId: account.accountId, connected: false, error: err };
    throw err;
  }
  const s3 = await collectS3Account(clients, {
    accountId: account.accountId,
    homeRegion: opts.homeRegion,
    bucketConcurrency: opts.bucketConcurrency,
  });
  const config: Record<string, ConfigRegionCollection> = {};
  const macie: Record<string, MacieRegionCollection> = {};
  await Promise.all(
    opts.regions.map(async (region) => {
      const ctx = { accountId: account.accountId, region };
      [config[region], macie[region]] = await Promise.all([
        collectConfigRegion(clients.get(configService, region), ctx),
        collectMacieRegion(clients.get(macieService, region), ctx),
      ]);
    }),
  );
  return { accountId: account.accountId, connected: true, s3, config, macie };
}
