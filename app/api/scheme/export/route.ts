import { z } from "zod";
import { SchemeVersionParam } from "@/lib/schemas/scheme-edit";
import { exportSchemeVersion } from "@/lib/server/dal/scheme";
import { download, route } from "@/lib/server/http/route";

/** GET /api/scheme/export[?version=N] → the scheme version as JSON, in the format import accepts. */
export const GET = route({
  permission: "settings:read",
  query: z.object({ version: SchemeVersionParam.optional() }),
  handle: ({ actor, query }) => exportSchemeVersion(actor, query.version),
  audit: ({ result }) => ({ action: "scheme.export", targetType: "scheme", targetId: String(result.version) }),
  respond: ({ version, json }) =>
    download(json, `classification-scheme-v${version}.json`, "application/json; charset=utf-8"),
});
