import { AddAccountSchema } from "@/lib/schemas/accounts";
import { addAccount } from "@/lib/server/dal/account-admin";
import { route } from "@/lib/server/http/route";

/** Link an account: body { roleArn, name?, externalId? }. */
export const POST = route({
  permission: "accounts:manage",
  body: AddAccountSchema,
  status: 201,
  handle: ({ actor, body }) => addAccount(actor, body),
});
