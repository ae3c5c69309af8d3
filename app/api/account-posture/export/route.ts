import { AccountPostureQuerySchema } from "@/lib/schemas/account-posture-query";
import { streamAccountPostureCsv } from "@/lib/server/dal/account-posture";
import { download, route } from "@/lib/server/http/route";

/**
 * GET /api/account-posture/export[?control=&status=&ou=&q=] → the Account posture page's accounts as CSV, one line per
 * account and control verdict, streamed.
 */
export const GET = route({
  permission: "posture:read",
  query: AccountPostureQuerySchema,
  handle: ({ actor, query }) => streamAccountPostureCsv(actor, query),
  audit: ({ query }) => ({
    action: "account-posture.export",
    targetType: "account-posture",
    detail: { filter: { control: query.control, status: query.status, ou: query.ou, q: query.q } },
  }),
  respond: (csv) =>
    download(csv, `account-posture-${new Date().toISOString().slice(0, 10)}.csv`, "text/csv; charset=utf-8"),
});
