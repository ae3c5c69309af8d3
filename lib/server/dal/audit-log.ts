import "server-only";
/** The audit log for admins and auditors: filtered and paginated in Postgres, exported as streamed CSV. */
import { startCsvStream } from "@/lib/export/csv";
import { keysetPages } from "@/lib/export/keyset-pages";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditQuery } from "@/lib/schemas/audit-query";
import { db } from "@/lib/server/db";
import { distinctIndexedValues } from "@/lib/server/sql/distinct-values";
import { authorize, type Actor } from "@/lib/server/permissions";

type AuditFilter = Partial<Omit<AuditQuery, "page">>;

export function auditWhere(query: AuditFilter): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = {};
  if (query.action) where.action = { startsWith: query.action };
  if (query.actor) where.actorEmail = { contains: query.actor, mode: "insensitive" };
  if (query.outcome) where.outcome = query.outcome;
  if (query.from || query.to) {
    where.at = {
      ...(query.from ? { gte: new Date(`${query.from}T00:00:00.000Z`) } : {}),
      // "to" is inclusive: the whole day.
      ...(query.to ? { lt: new Date(new Date(`${query.to}T00:00:00.000Z`).getTime() + 86_400_000) } : {}),
    };
  }
  return where;
}

const select = {
  id: true,
  at: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  outcome: true,
  detail: true,
  ip: true,
} as const;

export async function listAuditEvents(actor: Actor | null, query: { page: number; pageSize: number } & AuditFilter) {
  authorize(actor, "audit:read");
  const where = auditWhere(query);
  const [total, rows] = await Promise.all([
    db().auditEvent.count({ where }),
    db().auditEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select,
    }),
  ]);
  return { total, rows: rows.map((r) => ({ ...r, id: r.id.toString() })) };
}

/** The distinct actions, for the filter's suggestions (a few dozen kinds, from an audit log that only grows). */
export async function auditActions(actor: Actor | null): Promise<string[]> {
  authorize(actor, "audit:read");
  return distinctIndexedValues("audit_event", "action");
}

const CSV_COLUMNS = ["id", "at", "actor", "action", "target_type", "target_id", "outcome", "detail", "ip"];

/**
 * Every matching event as CSV (lib/export/csv.ts: formula cells neutralised — the actor and ip of a failed sign-in
 * come from whoever tried), newest first, streamed in keyset pages on id (ids grow with time). The export route
 * audits it (audit.export) once the first page has been read.
 */
export async function streamAuditCsv(actor: Actor | null, query: AuditFilter): Promise<ReadableStream<Uint8Array>> {
  authorize(actor, "audit:read");
  const client = db();
  const where = auditWhere(query);
  const pages = keysetPages(
    (after: bigint | null, limit) =>
      client.auditEvent.findMany({
        where: after === null ? where : { AND: [where, { id: { lt: after } }] },
        orderBy: { id: "desc" },
        take: limit,
        select,
      }),
    (last) => last.id,
    1000,
  );
  return startCsvStream(CSV_COLUMNS, pages, (page) =>
    page.map((e) => [
      e.id.toString(),
      e.at.toISOString(),
      e.actorEmail ?? "system",
      e.action,
      e.targetType ?? "",
      e.targetId ?? "",
      e.outcome,
      e.detail === null ? "" : JSON.stringify(e.detail),
      e.ip ?? "",
    ]),
  );
}
