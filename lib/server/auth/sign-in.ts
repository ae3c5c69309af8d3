import "server-only";
/**
 * Sign-in with the limiter of sign-in-limits.ts (per e-mail and address, per e-mail, per address). An unknown user
 * and a wrong password get the same message and take the same time (a dummy argon2 verification); a refusal is the
 * same for both too. Every attempt is audited; a successful one reports the failed attempts since the previous
 * sign-in, so the owner learns that someone tried.
 */
import type { Db } from "@/lib/db/prisma";
import { writeAudit } from "@/lib/server/audit";
import { beginSecondFactor, type SecondFactorPending } from "@/lib/server/auth/mfa/sign-in-step";
import { dummyPasswordHash, verifyPassword } from "@/lib/server/auth/password";
import { createSession, type SessionPolicy } from "@/lib/server/auth/session";
import { admitAttempt, limiterCounters, recordSuccess, retryMessage } from "@/lib/server/auth/sign-in-limits";
import { roleFromDb } from "@/lib/roles";

export const SIGN_IN_FAILED = "Wrong e-mail or password.";

export type SignInResult =
  | {
      ok: true;
      token: string;
      expiresAt: Date;
      role: string;
      failedAttemptsSinceLastSignIn: number;
      secondFactor?: undefined;
    }
  // The password was right but a second factor is needed first: no session yet, only a pending state.
  | ({ ok: true; role: string; token?: undefined } & SecondFactorPending)
  | { ok: false; message: string; status: 401 }
  | { ok: false; message: string; status: 429; retryAfterSeconds: number };

/** Failed and refused attempts on this e-mail since the user's previous successful sign-in (from the audit log). */
async function failedAttemptsSinceLastSignIn(client: Db, userId: string, email: string): Promise<number> {
  const last = await client.auditEvent.findFirst({
    where: { action: "auth.sign-in", outcome: "success", actorId: userId },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return client.auditEvent.count({
    where: {
      action: "auth.sign-in",
      actorEmail: email,
      outcome: { in: ["failure", "denied"] },
      ...(last ? { id: { gt: last.id } } : {}),
    },
  });
}

export async function signIn(
  client: Db,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
  policy: SessionPolicy,
  options: { now?: () => Date } = {},
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const counters = limiterCounters(email, input.ip);
  const now = options.now?.() ?? new Date();

  const admission = await admitAttempt(client, counters, now);
  if (!admission.admitted) {
    const { seconds, message } = retryMessage(admission.waitMs);
    await writeAudit(client, {
      actor: null,
      actorEmail: email,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { reason: "rate-limited", retryAfterSeconds: seconds },
      ip: input.ip,
    });
    return { ok: false, status: 429, message, retryAfterSeconds: seconds };
  }

  // Counted as a failure already (admitAttempt): a crash or a slow hash from here on cannot be used to guess for free.
  const user = await client.user.findUnique({
    where: { email },
    select: { id: true, email: true, passwordHash: true, role: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid || user.disabledAt) {
    await writeAudit(client, {
      actor: user ? { id: user.id, email: user.email } : null,
      actorEmail: email,
      action: "auth.sign-in",
      outcome: "failure",
      detail: { reason: user ? (user.disabledAt ? "disabled" : "wrong-password") : "unknown-user" },
      ip: input.ip,
    });
    return { ok: false, status: 401, message: SIGN_IN_FAILED };
  }

  await recordSuccess(client, counters, now);
  // A right password with a second factor to come: no session yet (the password step's counters are settled).
  const secondFactor = await beginSecondFactor(client, user, { ip: input.ip, userAgent: input.userAgent });
  if (secondFactor) return { ok: true, role: roleFromDb(user.role), ...secondFactor };
  const failedAttempts = await failedAttemptsSinceLastSignIn(client, user.id, email);
  const session = await createSession(client, user.id, policy, {
    ip: input.ip,
    userAgent: input.userAgent,
    failedAttemptsBefore: failedAttempts,
  });
  await writeAudit(client, {
    actor: { id: user.id, email: user.email },
    action: "auth.sign-in",
    outcome: "success",
    ...(failedAttempts ? { detail: { failedAttemptsSinceLastSignIn: failedAttempts } } : {}),
    ip: input.ip,
  });
  return {
    ok: true,
    token: session.token,
    expiresAt: session.expiresAt,
    role: roleFromDb(user.role),
    failedAttemptsSinceLastSignIn: failedAttempts,
  };
}
