/** Links one fixture account (if it is not yet) and syncs it through the real sync, against the fixture AWS. */
import type { Db } from "@/lib/db/prisma";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import type { FixtureAccount, FixtureEstate } from "@/lib/sources/fixture/estate";
import { syncAccount } from "@/lib/sync/sync-account";

export async function syncFixtureAccount(db: Db, estate: FixtureEstate, account: FixtureAccount, syncRunId: string) {
  await db.account.upsert({
    where: { id: account.accountId },
    update: {},
    create: {
      id: account.accountId,
      name: account.name,
      ouPath: account.ouPath,
      roleArn: account.roleArn,
      externalId: account.externalId,
    },
  });
  return syncAccount(
    db,
    createFixtureConnector(estate),
    { syncRunId, account: { id: account.accountId, roleArn: account.roleArn, externalId: account.externalId } },
    { homeRegion: account.homeRegion },
  );
}
