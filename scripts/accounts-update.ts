/**
 * npm run accounts:update -- --account 123456789012 [--name …] [--role-arn …] [--external-id …] [--test]
 * Corrects a linked account (a wrong role name or ExternalId); --test tests the connection with the new values.
 */
import { parseArgs } from "node:util";
import { AccountIdSchema, UpdateAccountSchema } from "@/lib/schemas/accounts";
import { testAccountConnection, updateAccount } from "@/lib/sync/accounts/link-accounts";
import { createConnector } from "@/lib/sources/connector-factory";
import { runWithDatabase, printConnectionTest } from "./cli-database";

const { values } = parseArgs({
  options: {
    account: { type: "string" },
    name: { type: "string" },
    "role-arn": { type: "string" },
    "external-id": { type: "string" },
    test: { type: "boolean", default: false },
  },
});
const accountId = AccountIdSchema.safeParse(values.account);
const parsed = UpdateAccountSchema.safeParse({
  name: values.name,
  roleArn: values["role-arn"],
  externalId: values["external-id"],
});
if (!accountId.success || !parsed.success) {
  console.error([...(accountId.error?.issues ?? []), ...(parsed.error?.issues ?? [])].map((i) => i.message).join("\n"));
  console.error(
    "usage: accounts:update -- --account <12-digit id> [--name <name>] [--role-arn <arn>] [--external-id <id>] [--test]",
  );
  process.exit(2);
}

await runWithDatabase(async (db) => {
  let code = 0;
  const account = await updateAccount(db.prisma, accountId.data, parsed.data);
  console.log(
    `Updated account ${account.id} (${account.name}): role ${account.roleArn}, ExternalId ${account.externalId}.`,
  );
  if (values.test) {
    const result = await testAccountConnection(db.prisma, createConnector(), account.id);
    if (!printConnectionTest(result)) code = 1;
  }
  return code;
});
