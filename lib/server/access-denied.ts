import "server-only";
/**
 * Refused access is recorded (issue 13 item 9): every refusal — a 401/403 from a route handler, a refused server
 * action, a page that answers 403 — gets a log line, and an audit row "access.denied" with the permission and the
 * client address (the peer, see lib/client-address.ts). Audit rows are limited to one per actor (or, anonymous, per
 * address) × permission × kind per minute, so a script hammering a forbidden route cannot flood the audit log; the
 * log line is always written.
 *
 * Called where an AppError becomes a response, not inside authorize(): authorize() is pure and also runs in scripts
 * and tests against other databases. Recording never throws and never changes the response.
 */
import { headers } from "next/headers";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { writeAudit } from "@/lib/server/audit";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { db } from "@/lib/server/db";

const AUDIT_INTERVAL_MS = 60_000;
const MAX_REMEMBERED = 10_000;
const lastAudited = new Map<string, number>();

/** Whether this refusal gets an audit row now (at most one per key per minute, per server process). */
export function shouldAuditRefusal(key: string, now = Date.now()): boolean {
  const last = lastAudited.get(key);
  if (last !== undefined && now - last < AUDIT_INTERVAL_MS) return false;
  if (lastAudited.size >= MAX_REMEMBERED) {
    for (const [k, at] of lastAudited) if (now - at >= AUDIT_INTERVAL_MS) lastAudited.delete(k);
    // Still full of fresh keys (a flood of distinct addresses): forget the oldest half rather than grow.
    if (lastAudited.size >= MAX_REMEMBERED)
      for (const k of [...lastAudited.keys()].slice(0, MAX_REMEMBERED / 2)) lastAudited.delete(k);
  }
  lastAudited.set(key, now);
  return true;
}

// Outside a request (scripts, tests) there are no headers or cookies: record what is known.
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** Records the refusal if `error` is one (unauthenticated / forbidden); anything else is ignored. */
export async function recordRefusal(error: unknown, where?: string): Promise<void> {
  if (!isAppError(error) || (error.code !== "forbidden" && error.code !== "unauthenticated")) return;
  try {
    const permission = typeof error.details?.permission === "string" ? error.details.permission : null;
    const [actor, ip, path] = await Promise.all([
      orNull(() => currentActor()),
      orNull(() => clientIp()),
      orNull(async () => (await headers()).get("x-custody-path")), // set by proxy.ts for every request
    ]);
    where ??= path?.slice(0, 300) ?? undefined;
    const entry = {
      reason: error.code,
      permission,
      where: where ?? null,
      actor: actor?.email ?? null,
      role: actor?.role ?? null,
      ip,
    };
    logger.warn(entry, "access refused");
    if (!shouldAuditRefusal(`${actor?.id ?? `ip:${ip}`}|${permission}|${error.code}`)) return;
    await writeAudit(db(), {
      actor: actor ? { id: actor.id, email: actor.email } : null,
      action: "access.denied",
      targetType: permission ? "permission" : undefined,
      targetId: permission ?? undefined,
      outcome: "denied",
      detail: { reason: error.code, permission, ...(where ? { where } : {}), ...(actor ? { role: actor.role } : {}) },
      ip,
    });
  } catch (recordError) {
    logger.error({ err: recordError }, "could not record a refused access");
  }
}
