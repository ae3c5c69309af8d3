import { streamThirdPartiesCsv } from "@/lib/server/dal/third-parties";
import { download, route } from "@/lib/server/http/route";

/** GET /api/third-parties/export → the Third parties page's rows as CSV (one line per outsider and bucket). */
export const GET = route({
  permission: "third-parties:read",
  handle: ({ actor }) => streamThirdPartiesCsv(actor),
  audit: () => ({ action: "third-parties.export", targetType: "third-parties" }),
  respond: (csv) =>
    download(csv, `third-parties-${new Date().toISOString().slice(0, 10)}.csv`, "text/csv; charset=utf-8"),
});
