/**
 * npm run accounts:add -- --role-arn arn:aws:iam::123456789012:role/CustodyReadOnly [--name prod] [--external-id …] [--test [--keep]]
 * Links one account (the ExternalId defaults to this installation's; it is printed for the role's trust policy).
 * With --test, a failed connection test leaves nothing linked unless --keep says to link it anyway.
 */
import { parseArgs } from "node:util";
import { AddAccountSchema } from "@/lib/schemas/accounts";
import { forgetNewAccount, linkAccount, testAccountConnection } from "@/lib/sync/accounts/link-accounts";
import { createConnector } from "@/lib/sources/connector-factory";
import { runWithDatabase, printConnectionTest } from "./cli-database";

const { values } = parseArgs({
  options: {
    "role-arn": { type: "string" },
    name: { type: "string" },
    "external-id": { type: "string" },
    test: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const parsed = AddAccountSchema.safeParse({
  roleArn: values["role-arn"],
  name: values.name,
  externalId: values["external-id"],
});
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}

await runWithDatabase(async (db) => {
  let code = 0;
  const account = await linkAccount(db.prisma, parsed.data);
  console.log(`Linked account ${account.id} (${account.name}) with role ${account.roleArn}.`);
  console.log(`ExternalId for the role's trust policy: ${account.externalId}`);
  if (values.test) {
    const result = await testAccountConnection(db.prisma, createConnector(), account.id);
    if (!printConnectionTest(result)) {
      if (values.keep) {
        console.log(
          "The account stays linked (--keep); fix the role and run Test connection, or npm run accounts:update.",
        );
      } else {
        await forgetNewAccount(db.prisma, account.id);
        console.log(
          "Nothing was linked. Fix the role's trust policy and run this again, or add --keep to link it anyway.",
        );
      }
      code = 1;
    }
  }
  return code;
});
