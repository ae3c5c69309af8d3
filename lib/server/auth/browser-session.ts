import "server-only";
/**
 * This request's browser cookies (lib/auth/cookie-names.ts) and the rows behind them: the session, and the pending
 * second sign-in step. For the sign-in, second-step and account server actions, so that app/ never holds the
 * database client.
 */
import { cookies, headers } from "next/headers";
import { MFA_PENDING_COOKIE, SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { clientIp, secureCookies, sessionPolicy } from "@/lib/server/auth/current-actor";
import { destroySession, dismissSessionSignInNotice } from "@/lib/server/auth/session";
import { signIn } from "@/lib/server/auth/sign-in";
import { db } from "@/lib/server/db";

/** The session token the browser holds, if any. */
export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

export async function setSessionCookie(session: { token: string; expiresAt: Date }): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/",
    expires: session.expiresAt,
  });
}

export async function pendingMfaToken(): Promise<string | undefined> {
  return (await cookies()).get(MFA_PENDING_COOKIE)?.value;
}

// The pending state only serves the sign-in pages, so its cookie is scoped to them.
async function setPendingMfaCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(MFA_PENDING_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/login",
    expires: expiresAt,
  });
}

export async function clearPendingMfaCookie(): Promise<void> {
  (await cookies()).set(MFA_PENDING_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/login",
    maxAge: 0,
  });
}

/**
 * The password step (lib/server/auth/sign-in.ts: limiter, audit): a session cookie, or — when a second factor is due —
 * the pending second step's cookie and no session yet.
 */
export async function signInWithPassword(credentials: {
  email: string;
  password: string;
}): Promise<{ ok: false; message: string } | { ok: true; secondFactor: boolean }> {
  const result = await signIn(
    db(),
    { ...credentials, ip: await clientIp(), userAgent: (await headers()).get("user-agent") },
    sessionPolicy(),
  );
  if (!result.ok) return { ok: false, message: result.message };
  if (result.secondFactor) {
    await setPendingMfaCookie(result.pendingToken, result.expiresAt);
    return { ok: true, secondFactor: true };
  }
  await setSessionCookie(result);
  return { ok: true, secondFactor: false };
}

/** Ends this browser's session: the row and the cookie. */
export async function endBrowserSession(): Promise<void> {
  await destroySession(db(), await sessionToken());
  (await cookies()).delete(SESSION_COOKIE);
}

/** Hides the "failed sign-in attempts since your last sign-in" notice for this session. */
export async function dismissSignInNotice(): Promise<void> {
  await dismissSessionSignInNotice(db(), await sessionToken());
}
