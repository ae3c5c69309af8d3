/**
 * npm run accounts:remove -- --account 123456789012 [--yes]
 * Unlinks an account: it is no longer synced; what Custody read from it (buckets as last read, history) stays.
 * Asks for confirmation on a terminal; --yes confirms (scripts).
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { AccountIdSchema } from "@/lib/schemas/accounts";
import { unlinkAccount } from "@/lib/sync/accounts/link-accounts";
import { runWithDatabase } from "./cli-database";

const { values } = parseArgs({ options: { account: { type: "string" }, yes: { type: "boolean", default: false } } });
const accountId = AccountIdSchema.safeParse(values.account);
if (!accountId.success) {
  console.error(
    `${accountId.error.issues.map((i) => i.message).join("\n")}\nusage: accounts:remove -- --account <12-digit id> [--yes]`,
  );
  process.exit(2);
}
if (!values.yes) {
  if (!process.stdin.isTTY) {
    console.error(`Unlinking stops syncing account ${accountId.data}. Add --yes to confirm.`);
    process.exit(2);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(
    `Unlink account ${accountId.data}? Custody stops syncing it; what it read stays. [y/N] `,
  );
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.log("Nothing changed.");
    process.exit(1);
  }
}

await runWithDatabase(async (db) => {
  const account = await unlinkAccount(db.prisma, accountId.data);
  console.log(`Unlinked account ${account.id} (${account.name}). Its data stays; link it again to resume syncing.`);
});
