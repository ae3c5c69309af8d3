import "server-only";
/**
 * Database-backed sessions. The cookie holds a random 256-bit token; the database keeps only its SHA-256, so a
 * leaked database dump cannot be replayed as cookies. Sessions end on sign-out, after an idle period, and at an
 * absolute expiry, whichever comes first.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import type { Actor } from "@/lib/server/permissions";
import { roleFromDb } from "@/lib/roles";

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(
  client: Db,
  userId: string,
  policy: SessionPolicy,
  meta: { ip?: string | null; userAgent?: string | null; failedAttemptsBefore?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + policy.absoluteHours * 3_600_000);
  await client.session.create({
    data: {
      id: hashToken(token),
      userId,
      expiresAt,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      failedAttemptsBefore: meta.failedAttemptsBefore ?? 0,
    },
  });
  return { token, expiresAt };
}

/** The actor behind a session token, or null when the session is unknown, idle too long, expired or the user disabled. */
export async function resolveSession(
  client: Db,
  token: string | undefined,
  policy: SessionPolicy,
): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const id = hashToken(token);
  const session = await client.session.findUnique({
    where: { id },
    select: {
      lastSeenAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true, mustChangePassword: true } },
    },
  });
  if (!session) return null;
  const now = Date.now();
  const idleLimit = session.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  if (session.expiresAt.getTime() <= now || idleLimit <= now || session.user.disabledAt) {
    await client.session.deleteMany({ where: { id } });
    return null;
  }
  // Sliding idle window; written at most once a minute to keep reads cheap.
  if (now - session.lastSeenAt.getTime() > 60_000) {
    await client.session.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  const { user } = session;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: roleFromDb(user.role),
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

/** End every session of a user (password change or reset, disable), except the one holding `keepToken`. */
export async function revokeUserSessions(client: Db, userId: string, keepToken?: string): Promise<number> {
  const keep = keepToken ? hashToken(keepToken) : undefined;
  const { count } = await client.session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
  return count;
}

/** Failed sign-in attempts before this session's sign-in (issue 13 item 3), until the user dismisses the notice. */
export async function sessionSignInNotice(client: Db, token: string | undefined): Promise<number> {
  if (!token || token.length > 200) return 0;
  const session = await client.session.findUnique({
    where: { id: hashToken(token) },
    select: { failedAttemptsBefore: true },
  });
  return session?.failedAttemptsBefore ?? 0;
}

export async function dismissSessionSignInNotice(client: Db, token: string | undefined): Promise<void> {
  if (!token || token.length > 200) return;
  await client.session.updateMany({ where: { id: hashToken(token) }, data: { failedAttemptsBefore: 0 } });
}

export async function destroySession(client: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await client.session.deleteMany({ where: { id: hashToken(token) } });
}
