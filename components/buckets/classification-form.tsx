"use client";
/** "Change classification" on a bucket page (roles with buckets:classify): a level or back to tag/fallback, with a reason. */
import { useActionState, useState } from "react";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState, type ActionState } from "@/lib/action-state";

export function ClassificationForm({
  action,
  bucketId,
  levels,
  manualLevelKey,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  bucketId: number;
  levels: { key: string; name: string }[];
  manualLevelKey: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, initialActionState);
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-3 block text-xs font-medium text-indigo-700 hover:underline"
      >
        Change classification
      </button>
    );
  }
  return (
    <form
      action={formAction}
      className="mt-3 space-y-2 border-t border-slate-100 pt-3"
      data-testid="classification-form"
    >
      <input type="hidden" name="bucketId" value={bucketId} />
      <label className="block text-xs font-medium text-slate-700">
        Level
        <select
          name="levelKey"
          defaultValue={manualLevelKey ?? levels[0]?.key}
          className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm"
        >
          {levels.map((l) => (
            <option key={l.key} value={l.key}>
              {l.name} (manual)
            </option>
          ))}
          {manualLevelKey ? <option value="">Clear manual level: use the tag or the fallback</option> : null}
        </select>
      </label>
      <label className="block text-xs font-medium text-slate-700">
        Reason
        <input
          name="reason"
          required
          minLength={5}
          maxLength={500}
          placeholder="why (recorded in the audit log)"
          className="mt-1 block w-full rounded-lg border border-slate-300 px-2 py-1 text-sm"
        />
      </label>
      <FormResult state={state} testId="classification" />
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg bg-indigo-600 px-3 py-1 text-xs font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          {pending ? "Saving…" : "Save"}
        </button>
        <button
          type="button"
          onClick={() => setOpen(false)}
          className="rounded-lg border border-slate-300 px-3 py-1 text-xs"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
