import { currentActor } from "@/lib/server/auth/current-actor";
import { getSyncStatus, startSync } from "@/lib/server/dal/sync";
import { handle, jsonBody } from "@/lib/server/route-handler";

/** Runs in progress (per account: regions done, buckets read, errors) and the recent history; polled by the Accounts page. */
export async function GET() {
  return handle(async () => getSyncStatus(await currentActor()));
}

/** "Sync now": body {} for every account, or { accountId }. */
export async function POST(request: Request) {
  return handle(async () => startSync(await currentActor(), await jsonBody(request)), 202);
}
