/** Build a benchmark estate in a database through the real collectors and load step (no latency, no throttling). */
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import type { Db } from "@/lib/db/prisma";
import { runSync } from "@/lib/sync/run-sync";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";

export async function loadBenchEstate(
  prisma: Db,
  size: { accounts: number; bucketsPerAccount: number; regions: string[] },
) {
  const estate = generateFixtureEstate({
    seed: 7,
    accounts: size.accounts,
    bucketsPerAccount: size.bucketsPerAccount,
    regions: size.regions,
    scenario: "generic",
  });
  await ensureDefaultScheme(prisma);
  for (let i = 0; i < estate.accounts.length; i += 500) {
    await prisma.account.createMany({
      data: estate.accounts.slice(i, i + 500).map((a) => ({
        id: a.accountId,
        name: a.name,
        ouPath: a.ouPath,
        owner: a.owner,
        roleArn: a.roleArn,
        externalId: a.externalId,
      })),
    });
  }
  const t = performance.now();
  const run = await runSync(prisma, createFixtureConnector(estate), {
    trigger: "cli",
    regions: estate.regions,
    accountConcurrency: 4,
    bucketConcurrency: 32,
  });
  return { estate, syncMs: performance.now() - t, run };
}
