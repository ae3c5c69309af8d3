import { dismissSignInNoticeAction } from "@/app/(auth)/login/actions";

/** Tells the user that someone failed to sign in to their account before this sign-in (issue 13 item 3). */
export function SignInNotice({ failedAttempts }: { failedAttempts: number }) {
  return (
    <div
      role="status"
      data-testid="sign-in-notice"
      className="mb-6 flex items-start justify-between gap-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <p>
        <strong>
          {failedAttempts} failed sign-in attempt{failedAttempts === 1 ? "" : "s"}
        </strong>{" "}
        on your account since your last sign-in. If that was not you, tell an administrator; the audit log has the
        addresses they came from.
      </p>
      <form action={dismissSignInNoticeAction}>
        <button type="submit" className="shrink-0 text-xs font-semibold text-amber-800 hover:text-amber-950">
          Dismiss
        </button>
      </form>
    </div>
  );
}
