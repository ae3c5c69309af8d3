import "server-only";
/** The audit log for admins and auditors: newest first, paginated in Postgres. */
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

export async function listAuditEvents(actor: Actor | null, query: { page: number; pageSize: number; action?: string }) {
  authorize(actor, "audit:read");
  const where = query.action ? { action: { startsWith: query.action } } : {};
  const [total, rows] = await Promise.all([
    db().auditEvent.count({ where }),
    db().auditEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: { id: true, at: true, actorEmail: true, action: true, targetType: true, targetId: true, outcome: true, detail: true, ip: true },
    }),
  ]);
  return { total, rows: rows.map((r) => ({ ...r, id: r.id.toString() })) };
}
