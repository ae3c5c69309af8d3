"use client";
/**
 * The scheme editor (admins): levels from most to least sensitive (order = rank), required controls, tag values,
 * tag key and fallback. Submits the whole scheme as JSON; the server validates it with the same zod schema as an
 * imported file, so a bad edit gets the same field-naming messages and changes nothing.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useState, type FormEvent } from "react";
import {
  progressText,
  REEVALUATION_QUERY_KEY,
  useReevaluationStatus,
  type ReevaluationState,
} from "@/components/layout/reevaluation-status";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState, type ActionState } from "@/lib/action-state";
import { SCHEME_MAX_BYTES, SCHEME_TOO_LARGE } from "@/lib/schemas/scheme-edit";

export interface EditableLevel {
  key: string;
  name: string;
  description: string;
  requiredControlIds: string[];
  valueAliases: string[];
}

export interface EditableScheme {
  tagKey: string;
  fallbackLevelKey: string;
  /** Highest rank first. */
  levels: (EditableLevel & { rank: number })[];
}

type Draft = EditableLevel & { aliasesText: string; isNew: boolean };

const input =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20";

export function SchemeEditor({
  scheme,
  controls,
  action,
}: {
  scheme: EditableScheme;
  controls: { id: string; title: string }[];
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, initialActionState);
  // The re-evaluation this save started is the one whose id differs from the latest before it (none when the change
  // touched no bucket); its progress is the banner's, read from the same query.
  const queryClient = useQueryClient();
  const { data: reevaluation } = useReevaluationStatus();
  const [idBeforeSave, setIdBeforeSave] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (state.ok) void queryClient.invalidateQueries({ queryKey: REEVALUATION_QUERY_KEY });
  }, [state, queryClient]);
  const started =
    state.ok && !pending && idBeforeSave !== undefined && reevaluation && reevaluation.id !== idBeforeSave
      ? reevaluation
      : null;
  const [tagKey, setTagKey] = useState(scheme.tagKey);
  const [fallback, setFallback] = useState(scheme.fallbackLevelKey);
  const [levels, setLevels] = useState<Draft[]>(() =>
    scheme.levels.map((l) => ({ ...l, aliasesText: l.valueAliases.join(", "), isNew: false })),
  );
  const [newKey, setNewKey] = useState("");

  const update = (i: number, patch: Partial<Draft>) =>
    setLevels((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const move = (i: number, by: -1 | 1) =>
    setLevels((ls) => {
      const next = [...ls];
      const [l] = next.splice(i, 1);
      next.splice(i + by, 0, l!);
      return next;
    });
  const toggle = (i: number, id: string) =>
    update(i, {
      requiredControlIds: levels[i]!.requiredControlIds.includes(id)
        ? levels[i]!.requiredControlIds.filter((c) => c !== id)
        : [...levels[i]!.requiredControlIds, id],
    });

  const document = {
    tagKey,
    fallbackLevelKey: fallback,
    levels: levels.map((l, i) => ({
      key: l.key,
      name: l.name,
      rank: levels.length - i,
      description: l.description,
      // Catalog order, so toggling a box on and off again is not a change.
      requiredControlIds: controls.map((c) => c.id).filter((id) => l.requiredControlIds.includes(id)),
      valueAliases: l.aliasesText
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean),
    })),
  };

  return (
    <form
      action={formAction}
      onSubmit={() => setIdBeforeSave(reevaluation?.id ?? null)}
      className="space-y-5"
      data-testid="scheme-editor"
    >
      <input type="hidden" name="schemeJson" value={JSON.stringify(document)} />
      <div className="grid gap-4 md:grid-cols-2">
        <label className="block text-sm font-medium text-slate-700">
          Tag key
          <input className={input} name="tagKey" value={tagKey} onChange={(e) => setTagKey(e.target.value)} />
          <span className="mt-1 block text-xs font-normal text-slate-500">
            The bucket tag that carries the level (matched case-insensitively).
          </span>
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Fallback level for unclassified buckets
          <select className={input} value={fallback} onChange={(e) => setFallback(e.target.value)}>
            {levels.map((l) => (
              <option key={l.key} value={l.key}>
                {l.name || l.key}
              </option>
            ))}
          </select>
          <span className="mt-1 block text-xs font-normal text-slate-500">
            Buckets without a usable tag are held to this level (High fails safe).
          </span>
        </label>
      </div>

      <div className="space-y-4">
        {levels.map((l, i) => (
          <fieldset
            key={l.key || `new-${i}`}
            className="rounded-lg border border-slate-200 p-4"
            data-testid={`edit-level-${l.key}`}
          >
            <legend className="px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
              Rank {levels.length - i} · key <code className="font-mono normal-case">{l.key}</code>
            </legend>
            <div className="flex flex-wrap items-end gap-3">
              <label className="block min-w-48 flex-1 text-sm font-medium text-slate-700">
                Name
                <input
                  className={input}
                  aria-label={`Name of ${l.key}`}
                  value={l.name}
                  onChange={(e) => update(i, { name: e.target.value })}
                />
              </label>
              <label className="block min-w-64 flex-[2] text-sm font-medium text-slate-700">
                Other tag values
                <input
                  className={input}
                  aria-label={`Tag values of ${l.key}`}
                  value={l.aliasesText}
                  placeholder="confidential, restricted"
                  onChange={(e) => update(i, { aliasesText: e.target.value })}
                />
              </label>
              <div className="flex gap-1">
                <button
                  type="button"
                  className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-xs disabled:opacity-40"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={`Move ${l.key} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-xs disabled:opacity-40"
                  disabled={i === levels.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Move ${l.key} down`}
                >
                  ↓
                </button>
                {levels.length > 1 ? (
                  <button
                    type="button"
                    className="rounded-lg border border-rose-200 bg-white px-2 py-1.5 text-xs text-rose-700"
                    onClick={() => setLevels((ls) => ls.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                ) : null}
              </div>
            </div>
            <label className="mt-3 block text-sm font-medium text-slate-700">
              Description
              <input
                className={input}
                aria-label={`Description of ${l.key}`}
                value={l.description}
                onChange={(e) => update(i, { description: e.target.value })}
              />
            </label>
            <p className="mt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">Required controls</p>
            <div className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
              {controls.map((c) => (
                <label key={c.id} className="flex items-center gap-2 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    name={`${l.key}:${c.id}`}
                    checked={l.requiredControlIds.includes(c.id)}
                    onChange={() => toggle(i, c.id)}
                    className="rounded border-slate-300 text-indigo-600"
                  />
                  {c.title}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>

      <div className="flex flex-wrap items-end gap-3 rounded-lg border border-dashed border-slate-300 p-4">
        <label className="block text-sm font-medium text-slate-700">
          New level key
          <input
            className={input}
            value={newKey}
            placeholder="e.g. restricted"
            onChange={(e) => setNewKey(e.target.value.trim().toLowerCase())}
          />
        </label>
        <button
          type="button"
          disabled={!newKey || levels.some((l) => l.key === newKey)}
          className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-40"
          onClick={() => {
            setLevels((ls) => [
              ...ls,
              {
                key: newKey,
                name: newKey.charAt(0).toUpperCase() + newKey.slice(1),
                description: "",
                requiredControlIds: [],
                valueAliases: [],
                aliasesText: "",
                isNew: true,
              },
            ]);
            setNewKey("");
          }}
        >
          Add level
        </button>
        <span className="text-xs text-slate-500">
          Keys are stable identifiers (lowercase letters, digits, dashes); names can change later.
        </span>
      </div>

      <label className="block text-sm font-medium text-slate-700">
        Note for the version history (optional)
        <input className={input} name="note" maxLength={300} placeholder="why this change" />
      </label>
      <FormResult state={state} testId="scheme-save" pending={pending} />
      {started ? <SavedReevaluation status={started} /> : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Saving…" : "Save as new version"}
      </button>
    </form>
  );
}

/** Under the save confirmation: the re-evaluation the save started, as it runs and once it has ended. */
function SavedReevaluation({ status }: { status: ReevaluationState }) {
  const tone =
    status.state === "running"
      ? "border-indigo-200 bg-indigo-50 text-indigo-900"
      : status.state === "succeeded"
        ? "border-emerald-200 bg-emerald-50 text-emerald-900"
        : "border-rose-200 bg-rose-50 text-rose-800";
  return (
    <p
      role="status"
      data-testid="scheme-reevaluation"
      data-state={status.state}
      className={`rounded-lg border px-3 py-2 text-sm ${tone}`}
    >
      {status.state === "running"
        ? `Re-evaluating the affected buckets — ${progressText(status)}.`
        : status.state === "succeeded"
          ? `Re-evaluation done — ${status.done.toLocaleString("en")} ${status.done === 1 ? "bucket" : "buckets"} re-evaluated; every verdict uses this version.`
          : `The re-evaluation ${status.state === "failed" ? "failed" : "was interrupted"} (${progressText(status)} done); the next sync re-evaluates the rest.`}
    </p>
  );
}

export function SchemeImportForm({ action }: { action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, initialActionState);
  // A file over the server-action body limit would never reach the action (the proxy answers 413), so the size is
  // checked here first; the action checks it again for anything not sent through this form.
  const [tooLarge, setTooLarge] = useState(false);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    const file = (e.currentTarget.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    const over = file !== undefined && file.size > SCHEME_MAX_BYTES;
    setTooLarge(over);
    if (over) e.preventDefault();
  };
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" data-testid="scheme-import">
      <label className="block text-sm font-medium text-slate-700">
        Scheme file (JSON)
        <input
          type="file"
          name="file"
          accept="application/json,.json"
          className="mt-1 block w-full text-sm text-slate-600 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium"
        />
      </label>
      <input type="hidden" name="note" value="imported from a file" />
      <FormResult
        state={tooLarge ? { ok: false, message: null, errors: [SCHEME_TOO_LARGE] } : state}
        testId="scheme-import"
      />
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? "Importing…" : "Import as new version"}
      </button>
    </form>
  );
}
