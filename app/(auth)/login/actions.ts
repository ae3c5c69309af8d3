"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { SignInSchema, safeNextPath } from "@/lib/schemas/auth";
import { callAction, formAction } from "@/lib/server/actions/server-action";
import { dismissSignInNotice, endBrowserSession, signInWithPassword } from "@/lib/server/auth/browser-session";

export interface SignInState {
  error: string | null;
  email: string;
}

export const signInAction = formAction({
  permission: "public",
  input: SignInSchema,
  run: ({ input }) => signInWithPassword(input),
  done: (result, { email, next }): SignInState => {
    if (!result.ok) return { error: result.message, email };
    // With a second factor due there is no session yet: the second step continues from the pending state.
    if (result.secondFactor) redirect(`/login/mfa?next=${encodeURIComponent(safeNextPath(next))}`);
    redirect(safeNextPath(next));
  },
  // The first message only: the form has one error line.
  failed: (errors, form) => ({ error: errors[0]!, email: String(form.get("email") ?? "") }),
});

/**
 * Hides the "failed sign-in attempts since your last sign-in" notice for this session. Public like sign-out: it acts
 * only on the session this browser's cookie names (a session that has just expired has nothing left to dismiss).
 */
export const dismissSignInNoticeAction = callAction({
  permission: "public",
  run: () => dismissSignInNotice(),
  done: () => revalidatePath("/", "layout"),
});

export const signOutAction = callAction({
  permission: "public",
  run: () => endBrowserSession(),
  audit: ({ actor }) => (actor ? { action: "auth.sign-out" } : null),
  done: () => redirect("/login"),
});
