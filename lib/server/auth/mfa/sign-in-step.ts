import "server-only";
/**
 * The sign-in steps after a correct password, for users who need a second factor: start a pending state instead of
 * a session (sign-in.ts), and once the factor is verified (or enrolled, for a role that requires one), the session.
 */
import type { Db } from "@/lib/db/prisma";
import { writeAudit } from "@/lib/server/audit";
import { secondFactorStep } from "@/lib/server/auth/mfa/policy";
import { finishPendingMfa, startPendingMfa, type PendingMfa } from "@/lib/server/auth/mfa/pending";
import { createSession, type SessionPolicy } from "@/lib/server/auth/session";

export interface SecondFactorPending {
  secondFactor: "verify" | "enrol";
  pendingToken: string;
  expiresAt: Date;
}

/** Null when the user needs no second factor (sign-in creates the session now). */
export async function beginSecondFactor(
  client: Db,
  user: { id: string; email: string; role: string },
  meta: { ip: string | null; userAgent: string | null },
): Promise<SecondFactorPending | null> {
  const step = await secondFactorStep(client, user);
  if (step === "none") return null;
  const pending = await startPendingMfa(client, user.id, step, meta);
  await writeAudit(client, {
    actor: { id: user.id, email: user.email },
    action: "auth.password",
    outcome: "success",
    detail: { next: step === "verify" ? "second-factor" : "enrol-second-factor" },
    ip: meta.ip,
  });
  return { secondFactor: step, pendingToken: pending.token, expiresAt: pending.expiresAt };
}

/** The second factor is done: consume the pending state (once) and open the session. */
export async function completeSecondFactor(
  client: Db,
  pending: PendingMfa,
  method: "totp" | "recovery-code" | "passkey",
  policy: SessionPolicy,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date } | null> {
  if (!(await finishPendingMfa(client, pending))) return null;
  const session = await createSession(client, pending.user.id, policy, meta);
  await writeAudit(client, {
    actor: { id: pending.user.id, email: pending.user.email },
    action: "auth.sign-in",
    outcome: "success",
    detail: { secondFactor: method },
    ip: meta.ip,
  });
  return session;
}
