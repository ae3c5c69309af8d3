"use client";
/** The admin names an outside account as a known vendor; the server validates and audits it. */
import { useActionState } from "react";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState, type ActionState } from "@/lib/action-state";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;
const field =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20";

export function NameVendorForm({ action, accountIds }: { action: Action; accountIds: string[] }) {
  const [state, formAction, pending] = useActionState(action, initialActionState);
  return (
    <form
      action={formAction}
      className="grid gap-3 md:grid-cols-[12rem_1fr_auto] md:items-end"
      data-testid="name-vendor"
    >
      <label className="block text-sm font-medium text-slate-700">
        Account id
        <input
          name="accountId"
          required
          inputMode="numeric"
          pattern="\d{12}"
          list="third-party-accounts"
          className={`${field} font-mono`}
          placeholder="123456789012"
        />
        <datalist id="third-party-accounts">
          {accountIds.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
      </label>
      <label className="block text-sm font-medium text-slate-700">
        Vendor name
        <input name="name" required minLength={2} maxLength={100} className={field} placeholder="Acme Backup Ltd" />
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Saving…" : "Name vendor"}
      </button>
      <div className="md:col-span-3">
        <FormResult state={state} testId="name-vendor" pending={pending} />
      </div>
    </form>
  );
}
