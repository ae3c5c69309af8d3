import { WaiverQuerySchema } from "@/lib/schemas/waiver";
import { streamWaiversCsv } from "@/lib/server/dal/waivers";
import { download, route } from "@/lib/server/http/route";

/** GET /api/waivers/export[?status=&bucket=&control=] → every matching waiver as CSV, streamed. */
export const GET = route({
  permission: "waivers:read",
  query: WaiverQuerySchema,
  handle: ({ actor, query }) => streamWaiversCsv(actor, query),
  audit: ({ query }) => ({
    action: "waiver.export",
    targetType: "waiver",
    detail: { filter: { status: query.status, bucketId: query.bucket, controlId: query.control } },
  }),
  respond: (csv) => download(csv, `waivers-${new Date().toISOString().slice(0, 10)}.csv`, "text/csv; charset=utf-8"),
});
