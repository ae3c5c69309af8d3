"use client";
import { useActionState, useState } from "react";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState } from "@/lib/action-state";
import { resetPasswordAction, resetUserMfaAction, setMfaRequiredRolesAction, setUserDisabledAction } from "./actions";

const small =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-60";
const inputClass = "rounded-md border border-slate-300 px-2 py-1 text-xs";

export function UserActions({
  user,
  isSelf,
}: {
  user: { id: string; email: string; disabled: boolean; hasMfa: boolean };
  isSelf: boolean;
}) {
  const [disableState, toggle, toggling] = useActionState(setUserDisabledAction, initialActionState);
  const [resetState, reset, resetting] = useActionState(resetPasswordAction, initialActionState);
  const [mfaState, resetMfa, resettingMfa] = useActionState(resetUserMfaAction, initialActionState);
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2" data-testid={`user-actions-${user.email}`}>
      <div className="flex flex-wrap gap-2">
        {isSelf ? null : (
          <form action={toggle}>
            <input type="hidden" name="userId" value={user.id} />
            <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
            <button type="submit" disabled={toggling} className={small}>
              {user.disabled ? "Enable" : "Disable"}
            </button>
          </form>
        )}
        <button type="button" className={small} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          Reset password
        </button>
        {user.hasMfa && !isSelf ? (
          <form action={resetMfa}>
            <input type="hidden" name="userId" value={user.id} />
            <button type="submit" disabled={resettingMfa} className={small}>
              Remove second factors
            </button>
          </form>
        ) : null}
      </div>
      {open ? (
        <div className="flex flex-wrap items-center gap-2">
          <form action={reset}>
            <input type="hidden" name="userId" value={user.id} />
            <input type="hidden" name="mode" value="temporary" />
            <button type="submit" disabled={resetting} className={small}>
              Temporary password
            </button>
          </form>
          <form action={reset} className="flex items-center gap-1">
            <input type="hidden" name="userId" value={user.id} />
            <input type="hidden" name="mode" value="set" />
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              aria-label={`New password for ${user.email}`}
              placeholder="new password"
              className={inputClass}
            />
            <button type="submit" disabled={resetting} className={small}>
              Set
            </button>
          </form>
        </div>
      ) : null}
      <FormResult state={disableState} testId="user-disable" />
      <FormResult state={resetState} testId="user-reset" />
      <FormResult state={mfaState} testId="user-mfa" />
    </div>
  );
}

export function MfaRequiredRolesForm({
  roles,
  required,
  canEdit,
}: {
  roles: { key: string; label: string }[];
  required: string[];
  canEdit: boolean;
}) {
  const [state, action, pending] = useActionState(setMfaRequiredRolesAction, initialActionState);
  return (
    <form action={action} className="space-y-3" data-testid="mfa-required-roles">
      <div className="flex flex-wrap gap-4">
        {roles.map((r) => (
          <label key={r.key} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              name="role"
              value={r.key}
              defaultChecked={required.includes(r.key)}
              disabled={!canEdit}
            />
            {r.label}
          </label>
        ))}
      </div>
      {canEdit ? (
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          Save second-factor requirement
        </button>
      ) : null}
      <FormResult state={state} testId="mfa-roles" />
    </form>
  );
}
