import { db } from "@/lib/server/db";

/** Liveness + database reachability, for load balancers and the e2e web-server wait. No data is returned. */
export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "database-unreachable" }, { status: 503 });
  }
}
