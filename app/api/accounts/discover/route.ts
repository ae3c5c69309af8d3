import { currentActor } from "@/lib/server/auth/current-actor";
import { discoverAccounts } from "@/lib/server/dal/account-admin";
import { handle, jsonBody } from "@/lib/server/route-handler";

/** Organisation discovery: body { roleName, fromAccountId?, externalId? }. */
export async function POST(request: Request) {
  return handle(async () => discoverAccounts(await currentActor(), await jsonBody(request)));
}
