import "server-only";
/**
 * The pending second-factor state after a correct password: a server-side MfaChallenge row, bound to the browser by
 * an httpOnly cookie holding a random token (only its SHA-256 is stored). It lasts 10 minutes and allows 5 wrong
 * codes; then it is gone and the password must be entered again (which the sign-in limiter counts).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/prisma";

export const PENDING_TTL_MS = 10 * 60_000;
export const MAX_SECOND_FACTOR_FAILURES = 5;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function startPendingMfa(
  client: Db,
  userId: string,
  step: "verify" | "enrol",
  meta: { ip?: string | null; userAgent?: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + PENDING_TTL_MS);
  // One pending sign-in per user at a time; expired ones of anyone are swept here too.
  await client.mfaChallenge.deleteMany({
    where: { OR: [{ userId, purpose: "sign-in" }, { expiresAt: { lt: new Date() } }] },
  });
  await client.mfaChallenge.create({
    data: {
      id: hashToken(token),
      userId,
      purpose: "sign-in",
      step,
      expiresAt,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
  });
  return { token, expiresAt };
}

export interface PendingMfa {
  id: string;
  /** "enrolled": a required factor was just set up; the session follows when the user continues. */
  step: "verify" | "enrol" | "enrolled";
  webauthnChallenge: string | null;
  ip: string | null;
  userAgent: string | null;
  user: { id: string; email: string; name: string; role: string };
}

export async function resolvePendingMfa(client: Db, token: string | undefined): Promise<PendingMfa | null> {
  if (!token || token.length > 200) return null;
  const row = await client.mfaChallenge.findUnique({
    where: { id: hashToken(token) },
    select: {
      id: true,
      purpose: true,
      step: true,
      webauthnChallenge: true,
      expiresAt: true,
      ip: true,
      userAgent: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!row || row.purpose !== "sign-in" || row.expiresAt.getTime() <= Date.now() || row.user.disabledAt) {
    if (row) await client.mfaChallenge.deleteMany({ where: { id: row.id } });
    return null;
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return {
    id: row.id,
    step: row.step === "enrol" || row.step === "enrolled" ? row.step : "verify",
    webauthnChallenge: row.webauthnChallenge,
    ip: row.ip,
    userAgent: row.userAgent,
    user,
  };
}

/** Count a wrong second factor; true when the pending state is used up (deleted). */
export async function recordSecondFactorFailure(client: Db, pending: PendingMfa): Promise<boolean> {
  const row = await client.mfaChallenge.update({
    where: { id: pending.id },
    data: { failures: { increment: 1 } },
    select: { failures: true },
  });
  if (row.failures < MAX_SECOND_FACTOR_FAILURES) return false;
  await client.mfaChallenge.deleteMany({ where: { id: pending.id } });
  return true;
}

/** The second factor is done: the pending state is consumed exactly once (a parallel second success gets false). */
export async function finishPendingMfa(client: Db, pending: PendingMfa): Promise<boolean> {
  const { count } = await client.mfaChallenge.deleteMany({ where: { id: pending.id } });
  return count === 1;
}

export const setPendingWebauthnChallenge = (client: Db, pending: PendingMfa, challenge: string) =>
  client.mfaChallenge.update({ where: { id: pending.id }, data: { webauthnChallenge: challenge } });

export const markPendingEnrolled = (client: Db, pending: PendingMfa) =>
  client.mfaChallenge.update({ where: { id: pending.id }, data: { step: "enrolled", webauthnChallenge: null } });
