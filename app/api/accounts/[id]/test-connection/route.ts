import { currentActor } from "@/lib/server/auth/current-actor";
import { testConnection } from "@/lib/server/dal/account-admin";
import { handle } from "@/lib/server/route-handler";

/** AssumeRole + GetCallerIdentity; answers { ok, … } with a plain-words explanation when it fails. */
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => testConnection(await currentActor(), (await params).id));
}
