import type { ActionState } from "@/lib/action-state";

/** The answer of a server action under its form: errors (each naming its field) or a confirmation. */
/**
 * The outcome of a form's last submission. While a new submission is pending the old outcome is withdrawn, so a
 * message on screen always belongs to the last answer (and nobody reads a stale error as the new one).
 */
export function FormResult({
  state,
  testId,
  pending = false,
}: {
  state: ActionState;
  testId: string;
  pending?: boolean;
}) {
  if (pending) return null;
  if (state.errors.length > 0) {
    return (
      <div
        role="alert"
        data-testid={`${testId}-errors`}
        className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700"
      >
        {state.errors.length === 1 ? (
          state.errors[0]
        ) : (
          <ul className="list-disc space-y-0.5 pl-4">
            {state.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (state.message) {
    return (
      <p
        role="status"
        data-testid={`${testId}-ok`}
        className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
      >
        {state.message}
      </p>
    );
  }
  return null;
}
