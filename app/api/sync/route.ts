import { SyncRequestSchema } from "@/lib/schemas/accounts";
import { getSyncStatus, startSync } from "@/lib/server/dal/sync";
import { route } from "@/lib/server/http/route";

/** Runs in progress (per account: regions done, buckets read, errors) and the recent history; polled by the Accounts page. */
export const GET = route({
  permission: "accounts:read",
  handle: ({ actor }) => getSyncStatus(actor),
});

/** "Sync now": body {} for every account, or { accountId }. */
export const POST = route({
  permission: "sync:run",
  body: SyncRequestSchema,
  status: 202,
  handle: ({ actor, body }) => startSync(actor, body),
});
