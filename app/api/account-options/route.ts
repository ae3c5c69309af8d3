import { AccountOptionsQuerySchema } from "@/lib/schemas/accounts";
import { searchAccountOptions } from "@/lib/server/dal/accounts";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

/** GET /api/account-options?q=prod → up to 20 accounts whose name or id contains the text (the account filters). */
export const GET = route({
  permission: "buckets:read",
  query: AccountOptionsQuerySchema,
  handle: ({ actor, query }) => searchAccountOptions(actor, query),
});
