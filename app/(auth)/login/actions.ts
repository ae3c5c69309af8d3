"use server";
import { cookies, headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { SignInSchema, safeNextPath } from "@/lib/schemas/auth";
import { clientIp, currentActor, secureCookies, sessionPolicy } from "@/lib/server/auth/current-actor";
import { setPendingMfaCookie } from "@/lib/server/auth/mfa/request";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { destroySession, dismissSessionSignInNotice } from "@/lib/server/auth/session";
import { signIn } from "@/lib/server/auth/sign-in";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";

export interface SignInState {
  error: string | null;
  email: string;
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = SignInSchema.safeParse({
    email: form.get("email"),
    password: form.get("password"),
    next: form.get("next") ?? undefined,
  });
  const email = String(form.get("email") ?? "");
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form.", email };

  const result = await signIn(
    db(),
    {
      email: parsed.data.email,
      password: parsed.data.password,
      ip: await clientIp(),
      userAgent: (await headers()).get("user-agent"),
    },
    sessionPolicy(),
  );
  if (!result.ok) return { error: result.message, email };
  if (result.secondFactor) {
    // No session yet: the second step (verify or enrol a factor) continues from a pending state.
    await setPendingMfaCookie(result.pendingToken, result.expiresAt);
    redirect(`/login/mfa?next=${encodeURIComponent(safeNextPath(parsed.data.next))}`);
  }

  (await cookies()).set(SESSION_COOKIE, result.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/",
    expires: result.expiresAt,
  });
  redirect(safeNextPath(parsed.data.next));
}

/** Hides the "failed sign-in attempts since your last sign-in" notice for this session. */
export async function dismissSignInNoticeAction(): Promise<void> {
  await dismissSessionSignInNotice(db(), (await cookies()).get(SESSION_COOKIE)?.value);
  revalidatePath("/", "layout");
}

export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const actor = await currentActor();
  await destroySession(db(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  if (actor) {
    await writeAudit(db(), { actor, action: "auth.sign-out", outcome: "success", ip: await clientIp() });
  }
  redirect("/login");
}
