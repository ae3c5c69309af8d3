import { currentActor } from "@/lib/server/auth/current-actor";
import { addAccount } from "@/lib/server/dal/account-admin";
import { handle, jsonBody } from "@/lib/server/route-handler";

/** Link an account: body { roleArn, name?, externalId? }. */
export async function POST(request: Request) {
  return handle(async () => addAccount(await currentActor(), await jsonBody(request)), 201);
}
