import "server-only";
/** The audit log: sign-ins, classification changes, scheme edits, waivers, exports, syncs. Append-only. */
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuditEntry {
  actor: { id: string; email: string } | null;
  /** Attempted identity for failures without an actor (e.g. a failed sign-in). */
  actorEmail?: string;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome: "success" | "failure" | "denied";
  detail?: Prisma.InputJsonValue;
  ip?: string | null;
}

export async function writeAudit(client: Db | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await client.auditEvent.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? entry.actorEmail ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome,
      detail: entry.detail,
      ip: entry.ip ?? null,
    },
  });
}
