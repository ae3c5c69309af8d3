import type { NextRequest } from "next/server";
import { currentActor } from "@/lib/server/auth/current-actor";
import { searchAccountOptions } from "@/lib/server/dal/accounts";
import { handle } from "@/lib/server/route-handler";

export const dynamic = "force-dynamic";

/** GET /api/account-options?q=prod → up to 20 accounts whose name or id contains the text (the account filters). */
export async function GET(request: NextRequest) {
  return handle(async () =>
    searchAccountOptions(await currentActor(), Object.fromEntries(request.nextUrl.searchParams)),
  );
}
