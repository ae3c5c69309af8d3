import { AccountParamsSchema, UpdateAccountSchema } from "@/lib/schemas/accounts";
import { editAccount, removeAccount } from "@/lib/server/dal/account-admin";
import { route } from "@/lib/server/http/route";

/** Correct a linked account: body { name?, roleArn?, externalId? } (the role must stay in the same account). */
export const PATCH = route({
  permission: "accounts:manage",
  params: AccountParamsSchema,
  body: UpdateAccountSchema,
  handle: ({ actor, params, body }) => editAccount(actor, params.id, body),
});

/** Unlink an account: it is no longer synced; what was read stays. */
export const DELETE = route({
  permission: "accounts:manage",
  params: AccountParamsSchema,
  handle: ({ actor, params }) => removeAccount(actor, params.id),
});
