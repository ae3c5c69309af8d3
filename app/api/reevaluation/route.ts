import { getReevaluationStatus } from "@/lib/server/dal/scheme";
import { route } from "@/lib/server/http/route";

/** GET /api/reevaluation → the latest background re-evaluation's progress (polled by the banner). */
export const GET = route({
  permission: "buckets:read",
  handle: async ({ actor }) => ({ status: await getReevaluationStatus(actor) }),
  respond: (body) => Response.json(body, { headers: { "cache-control": "no-store" } }),
});
