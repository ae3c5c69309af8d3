import { DiscoverSchema } from "@/lib/schemas/accounts";
import { discoverAccounts } from "@/lib/server/dal/account-admin";
import { route } from "@/lib/server/http/route";

/** Organisation discovery: body { roleName, fromAccountId?, externalId? }. */
export const POST = route({
  permission: "accounts:manage",
  body: DiscoverSchema,
  handle: ({ actor, body }) => discoverAccounts(actor, body),
});
