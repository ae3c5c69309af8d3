"use client";
/**
 * Saved views of a list page, for the signed-in user: a menu of their views (open one, delete one) and "Save view",
 * which stores the page's current filters and sort (its URL query, passed in by the page as it renders) under a
 * name. Saving a name already used replaces that view's filters. The server validates the query with the page's
 * own schema and keeps each user's views to themselves.
 */
import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { FormResult } from "@/components/ui/form-result";
import { initialActionState, type ActionState } from "@/lib/action-state";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function SavedViews({
  page,
  query,
  views,
  saveAction,
  deleteAction,
}: {
  page: string;
  /** The current view's query string, without "?". */
  query: string;
  views: readonly { id: string; name: string; href: string }[];
  saveAction: Action;
  deleteAction: Action;
}) {
  const [saved, save, saving] = useActionState(saveAction, initialActionState);
  const [deleted, remove, deleting] = useActionState(deleteAction, initialActionState);
  const nameBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (saved.ok && nameBox.current) nameBox.current.value = "";
  }, [saved]);

  return (
    <div className="flex flex-col items-end gap-1" data-testid="saved-views">
      <div className="flex flex-wrap items-center justify-end gap-2">
        <details className="relative">
          <summary className="cursor-pointer list-none rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Saved views ({views.length}) <span aria-hidden="true">▾</span>
          </summary>
          <div className="absolute right-0 z-30 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg">
            {views.length === 0 ? (
              <p className="px-3 py-2 text-slate-600">No saved views yet: filter the list, name it and save it.</p>
            ) : (
              <ul aria-label="Your saved views" data-testid="saved-view-list">
                {views.map((v) => (
                  <li key={v.id} className="flex items-center gap-2 px-3 py-1">
                    <Link href={v.href} className="min-w-0 flex-1 truncate font-medium text-indigo-700 hover:underline">
                      {v.name}
                    </Link>
                    <form action={remove}>
                      <input type="hidden" name="id" value={v.id} />
                      <button
                        type="submit"
                        disabled={deleting}
                        aria-label={`Delete saved view ${v.name}`}
                        className="rounded px-1.5 text-slate-500 hover:bg-rose-50 hover:text-rose-700"
                      >
                        Delete
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </details>
        <form action={save} className="flex items-center gap-2">
          <input type="hidden" name="page" value={page} />
          <input type="hidden" name="query" value={query} />
          <label className="sr-only" htmlFor={`save-view-${page}`}>
            Name of the view to save
          </label>
          <input
            ref={nameBox}
            id={`save-view-${page}`}
            name="name"
            required
            maxLength={60}
            placeholder="Name this view"
            className="w-40 rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20"
          />
          <button
            type="submit"
            disabled={saving}
            className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            Save view
          </button>
        </form>
      </div>
      <FormResult state={saved} testId="save-view" pending={saving} />
      <FormResult state={deleted} testId="delete-view" pending={deleting} />
    </div>
  );
}
