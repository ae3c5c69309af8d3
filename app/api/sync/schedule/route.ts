import { currentActor } from "@/lib/server/auth/current-actor";
import { getSyncSettings, updateSyncSchedule } from "@/lib/server/dal/sync";
import { handle, jsonBody } from "@/lib/server/route-handler";

export async function GET() {
  return handle(async () => (await getSyncSettings(await currentActor())).schedule);
}

/** Body { expression: "daily" | "daily at 02:30" | "every 6 hours" | "hourly" | "off" | "<cron>" }. */
export async function PUT(request: Request) {
  return handle(async () => updateSyncSchedule(await currentActor(), await jsonBody(request)));
}
