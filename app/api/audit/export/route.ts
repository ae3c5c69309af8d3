import { AppError } from "@/lib/errors";
import { AuditQuerySchema } from "@/lib/schemas/audit-query";
import { currentActor } from "@/lib/server/auth/current-actor";
import { streamAuditCsv } from "@/lib/server/dal/audit-log";
import { attachment, withErrors } from "@/lib/server/route-errors";

/** GET /api/audit/export[?action=&actor=&outcome=&from=&to=] → matching audit events as CSV, streamed. */
export const GET = withErrors(async (request: Request) => {
  const actor = await currentActor();
  const parsed = AuditQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues.map((i) => i.message).join("; "));
  const { page: _page, ...filter } = parsed.data;
  const body = await streamAuditCsv(actor, filter);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachment(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`),
    },
  });
});
