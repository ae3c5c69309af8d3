import "server-only";
/** The signed-in actor for the current request (RSC, route handlers, server actions). */
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordRefusal } from "@/lib/server/access-denied";
import {
  isTrusted,
  normalizeAddress,
  parseTrustedProxies,
  PEER_ADDRESS_HEADER,
  resolveClientAddress,
  type TrustedProxies,
} from "@/lib/client-address";
import { resolveSession, sessionSignInNotice } from "@/lib/server/auth/session";
import { db } from "@/lib/server/db";
import { can, type Actor, type Permission } from "@/lib/server/permissions";

export function sessionPolicy() {
  const e = env();
  return { idleMinutes: e.CUSTODY_SESSION_IDLE_MINUTES, absoluteHours: e.CUSTODY_SESSION_ABSOLUTE_HOURS };
}

export const currentActor = cache(async (): Promise<Actor | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return resolveSession(db(), token, sessionPolicy());
});

/** Failed sign-in attempts on the account before this session began (0 = nothing to tell). */
export async function currentSignInNotice(): Promise<number> {
  return sessionSignInNotice(db(), (await cookies()).get(SESSION_COOKIE)?.value);
}

/**
 * For pages: anonymous → sign-in page (coming back here after), lacking the permission → the 403 page, signed in
 * with an admin's temporary password → /account (to choose their own) unless `allowMustChangePassword`.
 */
export async function requirePageActor(
  permission?: Permission,
  options: { allowMustChangePassword?: boolean } = {},
): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) {
    const path = (await headers()).get("x-custody-path") ?? "/";
    redirect(`/login?next=${encodeURIComponent(path)}`);
  }
  // Decided per page, not from the request path: after a server action's redirect the path header is the action's.
  if (actor.mustChangePassword && !options.allowMustChangePassword) redirect("/account");
  if (permission && !can(actor, permission)) {
    await recordRefusal(new AppError("forbidden", "page refused", { permission }));
    forbidden();
  }
  return actor;
}

/** Whether cookies should carry the Secure flag: when Custody is served over HTTPS. */
export async function secureCookies(): Promise<boolean> {
  const publicUrl = env().CUSTODY_PUBLIC_URL;
  if (publicUrl) return publicUrl.startsWith("https:");
  // `next start` serves plain HTTP: only a trusted proxy can say the user reached it over HTTPS.
  const h = await headers();
  const peer = normalizeAddress(h.get(PEER_ADDRESS_HEADER));
  return peer !== null && isTrusted(peer, configuredTrustedProxies()) && h.get("x-forwarded-proto") === "https";
}

let trustedProxies: { source: string; proxies: TrustedProxies } | null = null;

function configuredTrustedProxies(): TrustedProxies {
  const source = env().CUSTODY_TRUSTED_PROXIES;
  if (trustedProxies?.source !== source) {
    const parsed = parseTrustedProxies(source);
    if (!parsed.ok) throw new Error(parsed.error); // env() has validated it already
    trustedProxies = { source, proxies: parsed.proxies };
  }
  return trustedProxies.proxies;
}

/**
 * The request's client address: the TCP peer (stamped by lib/peer-address-hook.ts), or behind CUSTODY_TRUSTED_PROXIES the
 * address the nearest untrusted hop was seen from. Null when the peer is unknown: X-Forwarded-For and X-Real-IP on
 * their own are never believed (anyone can send them).
 */
export async function clientIp(): Promise<string | null> {
  const h = await headers();
  return resolveClientAddress({
    peer: h.get(PEER_ADDRESS_HEADER),
    forwardedFor: h.get("x-forwarded-for"),
    trustedProxies: configuredTrustedProxies(),
  });
}
