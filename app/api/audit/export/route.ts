import { AuditQuerySchema, type AuditQuery } from "@/lib/schemas/audit-query";
import { streamAuditCsv } from "@/lib/server/dal/audit-log";
import { download, route } from "@/lib/server/http/route";

/** The filters (the page number is the list's, not the export's). */
const filterOf = ({ page: _page, ...filter }: AuditQuery) => filter;

/** GET /api/audit/export[?action=&actor=&outcome=&from=&to=] → matching audit events as CSV, streamed. */
export const GET = route({
  permission: "audit:read",
  query: AuditQuerySchema,
  handle: ({ actor, query }) => streamAuditCsv(actor, filterOf(query)),
  audit: ({ query }) => ({ action: "audit.export", targetType: "audit", detail: { filter: filterOf(query) } }),
  respond: (csv) => download(csv, `audit-log-${new Date().toISOString().slice(0, 10)}.csv`, "text/csv; charset=utf-8"),
});
