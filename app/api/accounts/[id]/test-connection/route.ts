import { AccountParamsSchema } from "@/lib/schemas/accounts";
import { testConnection } from "@/lib/server/dal/account-admin";
import { route } from "@/lib/server/http/route";

/** AssumeRole + GetCallerIdentity; answers { ok, … } with a plain-words explanation when it fails. */
export const POST = route({
  permission: "accounts:manage",
  params: AccountParamsSchema,
  handle: ({ actor, params }) => testConnection(actor, params.id),
});
