import "server-only";
/** Request-bound helpers of the second sign-in step (server actions and pages): cookies and the relying party. */
import { cookies, headers } from "next/headers";
import { MFA_PENDING_COOKIE, SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { env } from "@/lib/env";
import { secureCookies } from "@/lib/server/auth/current-actor";
import { relyingPartyFrom, type RelyingParty } from "@/lib/server/auth/mfa/passkeys";

/** The WebAuthn relying party: CUSTODY_PUBLIC_URL, else the host this request came to (set the URL in production). */
export async function relyingParty(): Promise<RelyingParty> {
  const h = await headers();
  const host = h.get("host");
  const scheme = (await secureCookies()) ? "https" : "http";
  return relyingPartyFrom(env().CUSTODY_PUBLIC_URL, host ? `${scheme}://${host}` : null);
}

export async function pendingMfaToken(): Promise<string | undefined> {
  return (await cookies()).get(MFA_PENDING_COOKIE)?.value;
}

// The pending state only serves the sign-in pages, so its cookie is scoped to them.
export async function setPendingMfaCookie(token: string, expiresAt: Date): Promise<void> {
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

export async function setSessionCookie(session: { token: string; expiresAt: Date }): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/",
    expires: session.expiresAt,
  });
}
