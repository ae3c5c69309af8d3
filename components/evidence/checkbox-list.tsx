"use client";
/**
 * A multiple choice as checkboxes (it used to be a native multi-select, which needs Ctrl-click and says so nowhere):
 * each option a labelled checkbox submitted under `name` as before, a count of what is chosen, "all" / "none" for
 * the options shown, and a filter box when the list is long. Native checkboxes, so Tab and Space work as usual.
 *
 * The options are either all in the page (`options`: OUs, controls) or found by the server as the user types
 * (`search`: accounts, which at 10,000 were 832 KB of names in every page). Chosen options the filter does not show
 * are folded above the others ("3 chosen, not in this list"), still checkboxes: submitted, and there to review.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";

export interface CheckboxOption {
  value: string;
  label: string;
}

/** One answer of a server-side search: the first matches, and whether there are more. */
export interface OptionsPage {
  options: CheckboxOption[];
  more: boolean;
}

export interface OptionsSearch {
  /** How many options there are in all (for "3 of 10,000 chosen"). */
  total: number;
  /** What the empty filter shows, rendered with the page. */
  first: OptionsPage;
  /** The options whose label or value contains `text`. */
  find: (text: string, signal: AbortSignal) => Promise<OptionsPage>;
  /** Query key prefix for the cache of answers. */
  key: string;
}

const FILTER_FROM = 8;
/** Checkboxes drawn at most from `options`; the filter box reaches the others. */
const RENDER_LIMIT = 200;

function useShownOptions(
  needle: string,
  options: readonly CheckboxOption[] | undefined,
  search: OptionsSearch | undefined,
): { shown: readonly CheckboxOption[]; more: number | "some" | 0; pending: boolean; error: string | null } {
  // Typing is debounced so a fast typist sends one request, not one per key.
  const [asked, setAsked] = useState(needle);
  useEffect(() => {
    const t = setTimeout(() => setAsked(needle), 150);
    return () => clearTimeout(t);
  }, [needle]);
  const answer = useQuery({
    queryKey: [search?.key ?? "", asked],
    queryFn: ({ signal }) => search!.find(asked, signal),
    enabled: search !== undefined && asked !== "",
    // While an answer is on its way the options shown stay (the last answer, else the first page), so a box being
    // ticked is not pulled from under the pointer by an empty list.
    placeholderData: (previous) => previous ?? search?.first,
    staleTime: 30_000,
  });
  if (search) {
    const page = asked === "" ? search.first : answer.data;
    return {
      shown: page?.options ?? [],
      more: page?.more ? "some" : 0,
      pending: asked !== needle || (asked !== "" && answer.isFetching),
      error: answer.isError && asked !== "" ? answer.error.message : null,
    };
  }
  const all = options ?? [];
  const matching = needle ? all.filter((o) => `${o.label} ${o.value}`.toLowerCase().includes(needle)) : all;
  // Drawn as checkboxes: the first RENDER_LIMIT of those the filter shows.
  return {
    shown: matching.slice(0, RENDER_LIMIT),
    more: Math.max(0, matching.length - RENDER_LIMIT),
    pending: false,
    error: null,
  };
}

export function CheckboxList({
  name,
  legend,
  options,
  search,
  emptyMeans,
}: {
  name: string;
  legend: string;
  /** Every option, when they are few enough to send with the page. */
  options?: readonly CheckboxOption[];
  /** Or: the options are found by the server as the user types. */
  search?: OptionsSearch;
  /** What choosing none means, e.g. "every account". */
  emptyMeans: string;
}) {
  // Chosen values with their labels, in the order chosen: a chosen option stays labelled when the filter hides it.
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());
  const [filter, setFilter] = useState("");
  const filterId = useId();
  // Set once hydrated (tests wait for it: a box ticked before then is reset by the first render).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const needle = filter.trim().toLowerCase();
  const { shown, more, pending, error } = useShownOptions(needle, options, search);
  const total = search ? search.total : (options?.length ?? 0);
  const shownValues = new Set(shown.map((o) => o.value));
  const chosenHidden = [...chosen].filter(([v]) => !shownValues.has(v));
  const setMany = (picked: readonly CheckboxOption[], on: boolean) =>
    setChosen((prev) => {
      const next = new Map(prev);
      for (const o of picked) {
        if (on) next.set(o.value, o.label);
        else next.delete(o.value);
      }
      return next;
    });
  const button = "rounded px-1.5 py-0.5 font-medium text-indigo-700 hover:bg-indigo-50 disabled:text-slate-400";
  const box = (o: CheckboxOption) => (
    <label key={o.value} className="flex items-start gap-2 rounded px-1 py-0.5 text-slate-700 hover:bg-slate-50">
      <input
        type="checkbox"
        name={name}
        value={o.value}
        checked={chosen.has(o.value)}
        onChange={(e) => setMany([o], e.target.checked)}
        className="mt-0.5 rounded border-slate-300"
      />
      <span className="min-w-0 break-words">{o.label}</span>
    </label>
  );
  // "Choose all" only when every option is in sight; otherwise it says how many it chooses.
  const chooseLabel = more !== 0 ? `Choose the ${shown.length} shown` : needle ? "Choose all shown" : "Choose all";
  return (
    <fieldset className="min-w-0 text-sm" data-testid={`choose-${name}`} data-ready={ready || undefined}>
      <legend className="font-medium text-slate-700">{legend}</legend>
      <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
        <span className="text-slate-600" aria-live="polite" data-testid={`chosen-${name}`}>
          {chosen.size === 0
            ? `None chosen: ${emptyMeans}`
            : `${chosen.size.toLocaleString("en")} of ${total.toLocaleString("en")} chosen`}
        </span>
        <button type="button" className={button} onClick={() => setMany(shown, true)} disabled={shown.length === 0}>
          {chooseLabel}
        </button>
        <button
          type="button"
          className={button}
          onClick={() => (needle ? setMany(shown, false) : setChosen(new Map()))}
          disabled={needle ? !shown.some((o) => chosen.has(o.value)) : chosen.size === 0}
        >
          {needle ? "Clear shown" : "Clear"}
        </button>
      </div>
      {total >= FILTER_FROM ? (
        <>
          <label htmlFor={filterId} className="sr-only">
            Filter {legend.toLowerCase()}
          </label>
          <input
            id={filterId}
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder={`Filter ${legend.toLowerCase()}…`}
            className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm"
          />
        </>
      ) : null}
      <div
        className="mt-1 max-h-48 space-y-0.5 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1.5"
        aria-busy={pending}
      >
        {chosenHidden.length > 0 ? (
          // Folded, so a filter shows its matches first; the boxes inside are submitted all the same.
          <details className="border-b border-slate-100 pb-0.5" data-testid={`chosen-hidden-${name}`}>
            <summary className="cursor-pointer rounded px-1 py-0.5 text-xs text-slate-600 hover:bg-slate-50">
              {chosenHidden.length.toLocaleString("en")} chosen, not in this list
            </summary>
            {chosenHidden.map(([value, label]) => box({ value, label }))}
          </details>
        ) : null}
        {shown.map(box)}
        {error ? (
          <p role="alert" className="px-1 py-0.5 text-xs text-rose-700">
            {error}
          </p>
        ) : shown.length === 0 && !pending ? (
          <p className="px-1 py-0.5 text-xs text-slate-500">Nothing matches the filter.</p>
        ) : null}
        {pending && shown.length === 0 ? <p className="px-1 py-0.5 text-xs text-slate-500">Searching…</p> : null}
        {more !== 0 ? (
          <p className="px-1 py-0.5 text-xs text-slate-500" data-testid={`more-${name}`}>
            {more === "some"
              ? `The first ${shown.length} ${needle ? "matches" : `of ${total.toLocaleString("en")}`} shown: type more to narrow.`
              : `The first ${shown.length} of ${(shown.length + more).toLocaleString("en")} shown: type to find the others.`}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}
