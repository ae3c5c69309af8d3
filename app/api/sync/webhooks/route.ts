import { currentActor } from "@/lib/server/auth/current-actor";
import { updateWebhooks } from "@/lib/server/dal/sync";
import { handle, jsonBody } from "@/lib/server/route-handler";

/** Body { urls: "one URL per line" }: https to public addresses only (internal targets: CUSTODY_WEBHOOK_ALLOW_PRIVATE). */
export async function PUT(request: Request) {
  return handle(async () => updateWebhooks(await currentActor(), await jsonBody(request)));
}
