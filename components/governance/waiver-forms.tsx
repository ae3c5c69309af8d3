"use client";
/** Propose a waiver (security leads, admins) and decide one (admins); the server validates and audits both. */
import { useActionState } from "react";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState, type ActionState } from "@/lib/action-state";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;
const field =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20";

export function ProposeWaiverForm({
  action,
  bucket,
  controlId,
  controls,
  minDate,
  maxDate,
  defaultDate,
}: {
  action: Action;
  bucket: string;
  controlId: string;
  controls: { id: string; title: string }[];
  minDate: string;
  maxDate: string;
  defaultDate: string;
}) {
  const [state, formAction, pending] = useActionState(action, initialActionState);
  return (
    <form action={formAction} className="grid gap-3 md:grid-cols-2" data-testid="propose-waiver">
      <label className="block text-sm font-medium text-slate-700">
        Bucket (name or id)
        <input name="bucket" defaultValue={bucket} required className={field} />
      </label>
      <label className="block text-sm font-medium text-slate-700">
        Control
        <select name="controlId" defaultValue={controlId} className={field}>
          {controls.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title} ({c.id})
            </option>
          ))}
        </select>
      </label>
      <label className="block text-sm font-medium text-slate-700 md:col-span-2">
        Reason
        <textarea
          name="reason"
          rows={2}
          required
          minLength={10}
          maxLength={1000}
          className={field}
          placeholder="Why this control cannot be met now, and what compensates for it"
        />
      </label>
      <label className="block text-sm font-medium text-slate-700">
        Owner
        <input name="owner" required className={field} placeholder="team or person answering for the exception" />
      </label>
      <label className="block text-sm font-medium text-slate-700">
        Expires on (end of day, UTC)
        <input
          type="date"
          name="expiresOn"
          required
          min={minDate}
          max={maxDate}
          defaultValue={defaultDate}
          className={field}
        />
      </label>
      <div className="space-y-3 md:col-span-2">
        <FormResult state={state} testId="propose-waiver" />
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
        >
          {pending ? "Proposing…" : "Propose waiver"}
        </button>
      </div>
    </form>
  );
}

export function DecideWaiverForm({
  action,
  waiverId,
  decisions,
}: {
  action: Action;
  waiverId: string;
  decisions: ("approve" | "reject" | "revoke")[];
}) {
  const [state, formAction, pending] = useActionState(action, initialActionState);
  const style = {
    approve: "bg-emerald-600 text-white hover:bg-emerald-500",
    reject: "border border-rose-300 bg-white text-rose-700 hover:bg-rose-50",
    revoke: "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
  };
  return (
    <form action={formAction} className="space-y-1.5" data-testid={`decide-${waiverId}`}>
      <input type="hidden" name="waiverId" value={waiverId} />
      <input
        name="note"
        aria-label="Decision note"
        placeholder="note (optional)"
        maxLength={500}
        className="block w-full rounded border border-slate-300 px-2 py-1 text-xs"
      />
      <div className="flex gap-1.5">
        {decisions.map((d) => (
          <button
            key={d}
            type="submit"
            name="decision"
            value={d}
            disabled={pending}
            className={`rounded-md px-2.5 py-1 text-xs font-semibold capitalize disabled:opacity-60 ${style[d]}`}
          >
            {d}
          </button>
        ))}
      </div>
      <FormResult state={state} testId={`decide-${waiverId}`} />
    </form>
  );
}
