import { currentActor } from "@/lib/server/auth/current-actor";
import { getReevaluationStatus } from "@/lib/server/dal/scheme";
import { withErrors } from "@/lib/server/route-errors";

/** GET /api/reevaluation → the latest background re-evaluation's progress (polled by the banner). */
export const GET = withErrors(async () => {
  const status = await getReevaluationStatus(await currentActor());
  return Response.json({ status }, { headers: { "cache-control": "no-store" } });
});
