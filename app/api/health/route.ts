import { checkDatabase } from "@/lib/server/health";
import { route } from "@/lib/server/http/route";

const HEADERS = { "cache-control": "no-store" };

/**
 * Liveness + database reachability, for load balancers, the e2e web-server wait and the "database unreachable"
 * page (which polls it to know when to reload). No data is returned; public, so no session is read.
 */
export const GET = route({
  permission: "public",
  handle: async () => {
    const database = await checkDatabase();
    if (database.ok) return Response.json({ status: "ok" }, { headers: HEADERS });
    return Response.json(
      { status: "database-unreachable", reason: database.reason },
      { status: 503, headers: { ...HEADERS, "retry-after": "5" } },
    );
  },
});
