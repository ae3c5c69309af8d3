import { currentActor } from "@/lib/server/auth/current-actor";
import { editAccount, removeAccount } from "@/lib/server/dal/account-admin";
import { handle, jsonBody } from "@/lib/server/route-handler";

/** Correct a linked account: body { name?, roleArn?, externalId? } (the role must stay in the same account). */
export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => editAccount(await currentActor(), (await params).id, await jsonBody(request)));
}

/** Unlink an account: it is no longer synced; what was read stays. */
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => removeAccount(await currentActor(), (await params).id));
}
