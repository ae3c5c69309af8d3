import "server-only";
/**
 * What every way in from the browser — a route handler (lib/server/http/route.ts) or a server action
 * (lib/server/actions/form-action.ts) — does the same way:
 *
 * - Who may call, always said explicitly: a permission of the table (lib/server/permissions.ts), any signed-in user,
 *   or "public" (sign-in, the second step, /api/health). This is the early 401/403; the DAL still authorizes every
 *   call itself, so a missing declaration cannot open data.
 * - What an error becomes: an AppError keeps its status and message; a refusal (401/403) is recorded
 *   (lib/server/access-denied.ts: log line, rate-limited audit row); anything else is a bug, logged with its stack
 *   under a request id, and the caller gets a generic message with that id — never internals.
 * - The audit record a route or action declares, written with the actor and the client address.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isAppError, AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { issueText } from "@/lib/schemas/parse-input";
import { recordRefusal } from "@/lib/server/access-denied";
import { writeAudit, type AuditEntry } from "@/lib/server/audit";
import { currentActor } from "@/lib/server/auth/current-actor";
import { db } from "@/lib/server/db";
import { authorize, type Actor, type Permission } from "@/lib/server/permissions";

/** An input a route or action may declare (params, query, body, form fields, arguments), and what it parses to. */
export type Schema = z.ZodType | undefined;
export type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** Who may call: a permission of the table, any signed-in user, or anyone. */
export type Access = Permission | "signed-in" | "public";

/** The actor a handler gets: possibly nobody on a public entry point, otherwise someone who passed the check. */
export type ActorFor<A extends Access> = A extends "public" ? Actor | null : Actor;

/**
 * The caller, admitted or refused (AppError 401/403 carrying the permission). A public entry point reads the session
 * only when `needActor` (its audit names who did it): /api/health must answer while the database is down.
 */
export async function admit<A extends Access>(access: A, needActor = false): Promise<ActorFor<A>> {
  if (access === "public") return (needActor ? await currentActor() : null) as ActorFor<A>;
  const actor = await currentActor();
  if (access === "signed-in") {
    if (!actor) throw new AppError("unauthenticated", "Please sign in.");
  } else authorize(actor, access as Permission);
  return actor as ActorFor<A>;
}

/** An audit record as a route or action declares it; the actor, the address and the outcome are filled in. */
export type DeclaredAudit = Pick<AuditEntry, "action" | "targetType" | "targetId"> & {
  detail?: Record<string, unknown>;
};

export async function writeDeclaredAudit(entry: DeclaredAudit, actor: Actor | null, ip: string | null): Promise<void> {
  await writeAudit(db(), {
    ...entry,
    detail: entry.detail as AuditEntry["detail"],
    actor: actor ? { id: actor.id, email: actor.email } : null,
    outcome: "success",
    ip,
  });
}

export const UNEXPECTED_ERROR_MESSAGE =
  "Something went wrong on our side; it has been logged. Try again; if it persists, give the administrator the request id.";

export interface Failure {
  status: number;
  code: string;
  message: string;
  /** Only for unexpected errors: the id the server log has the error under. */
  requestId?: string;
}

/** What `error` becomes for the caller; `where` (e.g. "GET /api/sync", "action signIn") goes into the log line. */
export function failureOf(error: unknown, where: string): Failure {
  void recordRefusal(error);
  if (isAppError(error)) return { status: error.status, code: error.code, message: error.message };
  // A schema parsed with .parse() somewhere below: still the caller's input, so still a 400 with the messages.
  if (error instanceof z.ZodError) return { status: 400, code: "invalid_input", message: issueText(error.issues) };
  const requestId = randomUUID();
  logger.error({ err: error, requestId, where }, "request failed");
  return { status: 500, code: "internal", message: UNEXPECTED_ERROR_MESSAGE, requestId };
}
