import { SyncScheduleSchema } from "@/lib/schemas/accounts";
import { getSyncSettings, updateSyncSchedule } from "@/lib/server/dal/sync";
import { route } from "@/lib/server/http/route";

export const GET = route({
  permission: "accounts:read",
  handle: async ({ actor }) => (await getSyncSettings(actor)).schedule,
});

/** Body { expression: "daily" | "daily at 02:30" | "every 6 hours" | "hourly" | "off" | "<cron>" }. */
export const PUT = route({
  permission: "accounts:manage",
  body: SyncScheduleSchema,
  handle: ({ actor, body }) => updateSyncSchedule(actor, body),
});
