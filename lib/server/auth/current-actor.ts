import "server-only";
/** The signed-in actor for the current request (RSC, route handlers, server actions). */
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { env } from "@/lib/env";
import { resolveSession, SESSION_COOKIE } from "@/lib/server/auth/session";
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

/**
 * For pages: anonymous → sign-in page (coming back here after), lacking the permission → the 403 page, signed in
 * with an admin's temporary password → /account (to choose their own) unless `allowMustChangePassword`.
 */
export async function requirePageActor(permission?: Permission, options: { allowMustChangePassword?: boolean } = {}): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) {
    const path = (await headers()).get("x-custody-path") ?? "/";
    redirect(`/login?next=${encodeURIComponent(path)}`);
  }
  // Decided per page, not from the request path: after a server action's redirect the path header is the action's.
  if (actor.mustChangePassword && !options.allowMustChangePassword) redirect("/account");
  if (permission && !can(actor, permission)) forbidden();
  return actor;
}

/** Whether cookies should carry the Secure flag: when Custody is served over HTTPS. */
export async function secureCookies(): Promise<boolean> {
  const publicUrl = env().CUSTODY_PUBLIC_URL;
  if (publicUrl) return publicUrl.startsWith("https:");
  return (await headers()).get("x-forwarded-proto") === "https";
}

export async function clientIp(): Promise<string | null> {
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || null;
}
