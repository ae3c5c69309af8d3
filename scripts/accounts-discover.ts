/**
 * npm run accounts:discover -- --role-name CustodyReadOnly [--from <management account id>] [--external-id …]
 * Lists the organisation from a linked management or delegated-administrator account and links every new account
 * with arn:aws:iam::<id>:role/<role-name>. Run it again later: new accounts appear, existing ones get their OU path.
 */
import { parseArgs } from "node:util";
import { DiscoverSchema } from "@/lib/schemas/accounts";
import { discoverAndLinkAccounts } from "@/lib/sync/accounts/link-accounts";
import { createConnector } from "@/lib/sources/connector-factory";
import { runWithDatabase } from "./cli-database";

const { values } = parseArgs({
  options: { "role-name": { type: "string" }, from: { type: "string" }, "external-id": { type: "string" } },
});
const parsed = DiscoverSchema.safeParse({
  roleName: values["role-name"],
  fromAccountId: values.from,
  externalId: values["external-id"],
});
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}

await runWithDatabase(async (db) => {
  const r = await discoverAndLinkAccounts(db.prisma, createConnector(), parsed.data);
  console.log(
    `Organisation listed from ${r.fromAccountId}: ${r.found} account(s); ${r.linked.length} newly linked, ${r.updated} already linked (OU path refreshed), ${r.skipped.length} skipped.`,
  );
  for (const a of r.linked) console.log(`  + ${a.id}  ${a.name.padEnd(30)} ${a.ouPath}`);
  for (const a of r.skipped) console.log(`  - ${a.id}  ${a.name.padEnd(30)} ${a.reason}`);
});
