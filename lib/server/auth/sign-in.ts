import "server-only";
/**
 * Sign-in with rate limiting per e-mail and per IP. An unknown user and a wrong password get the same message and
 * take the same time (a dummy argon2 verification). Every attempt is audited.
 */
import type { Db } from "@/lib/db/prisma";
import { writeAudit } from "@/lib/server/audit";
import { beginSecondFactor, type SecondFactorPending } from "@/lib/server/auth/mfa/sign-in-step";
import { dummyPasswordHash, verifyPassword } from "@/lib/server/auth/password";
import { createSession, roleFromDb, type SessionPolicy } from "@/lib/server/auth/session";

export const SIGN_IN_FAILED = "Wrong e-mail or password.";

const WINDOW_MS = 15 * 60_000;
const LIMITS = { email: 5, ip: 30 } as const;
const LOCK_MS = 15 * 60_000;

type Throttle = { key: string; limit: number };

async function lockedFor(client: Db, throttles: Throttle[]): Promise<number> {
  const rows = await client.loginThrottle.findMany({ where: { key: { in: throttles.map((t) => t.key) } } });
  const now = Date.now();
  return Math.max(0, ...rows.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now : 0)));
}

async function recordFailure(client: Db, throttles: Throttle[]): Promise<void> {
  const now = new Date();
  for (const { key, limit } of throttles) {
    const row = await client.loginThrottle.findUnique({ where: { key } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const lockedUntil = failures >= limit ? new Date(now.getTime() + LOCK_MS) : null;
    await client.loginThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil },
      update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil },
    });
  }
}

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; role: string; secondFactor?: undefined }
  // The password was right but a second factor is needed first: no session yet, only a pending state.
  | ({ ok: true; role: string; token?: undefined } & SecondFactorPending)
  | { ok: false; message: string; status: 401 | 429 };

export async function signIn(
  client: Db,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
  policy: SessionPolicy,
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const throttles: Throttle[] = [{ key: `email:${email}`, limit: LIMITS.email }];
  if (input.ip) throttles.push({ key: `ip:${input.ip}`, limit: LIMITS.ip });

  const waitMs = await lockedFor(client, throttles);
  if (waitMs > 0) {
    await writeAudit(client, {
      actor: null,
      actorEmail: email,
      action: "auth.sign-in",
      outcome: "denied",
      detail: { reason: "rate-limited" },
      ip: input.ip,
    });
    const minutes = Math.ceil(waitMs / 60_000);
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }

  const user = await client.user.findUnique({
    where: { email },
    select: { id: true, email: true, passwordHash: true, role: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid || user.disabledAt) {
    await recordFailure(client, throttles);
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

  await client.loginThrottle.deleteMany({ where: { key: `email:${email}` } });
  const secondFactor = await beginSecondFactor(client, user, { ip: input.ip, userAgent: input.userAgent });
  if (secondFactor) return { ok: true, role: roleFromDb(user.role), ...secondFactor };
  const session = await createSession(client, user.id, policy, { ip: input.ip, userAgent: input.userAgent });
  await writeAudit(client, {
    actor: { id: user.id, email: user.email },
    action: "auth.sign-in",
    outcome: "success",
    ip: input.ip,
  });
  return { ok: true, token: session.token, expiresAt: session.expiresAt, role: roleFromDb(user.role) };
}
