"use client";
/**
 * A multiple choice as checkboxes (it used to be a native multi-select, which needs Ctrl-click and says so nowhere):
 * each option a labelled checkbox submitted under `name` as before, a count of what is chosen, "all" / "none" for
 * the options shown, and a filter box when the list is long. Native checkboxes, so Tab and Space work as usual.
 */
import { useId, useState } from "react";

export interface CheckboxOption {
  value: string;
  label: string;
}

const FILTER_FROM = 8;
/** Checkboxes drawn at most; the filter box reaches the others. */
const RENDER_LIMIT = 200;

export function CheckboxList({
  name,
  legend,
  options,
  emptyMeans,
}: {
  name: string;
  legend: string;
  options: readonly CheckboxOption[];
  /** What choosing none means, e.g. "every account". */
  emptyMeans: string;
}) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState("");
  const filterId = useId();
  const needle = filter.trim().toLowerCase();
  const shown = needle ? options.filter((o) => `${o.label} ${o.value}`.toLowerCase().includes(needle)) : options;
  // Drawn as checkboxes: the first RENDER_LIMIT of those the filter shows (10,000 accounts were 10,000 checkboxes).
  const drawn = shown.slice(0, RENDER_LIMIT);
  const drawnValues = new Set(drawn.map((o) => o.value));
  const setMany = (values: readonly string[], on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      for (const v of values) {
        if (on) next.add(v);
        else next.delete(v);
      }
      return next;
    });
  const button = "rounded px-1.5 py-0.5 font-medium text-indigo-700 hover:bg-indigo-50 disabled:text-slate-400";
  return (
    <fieldset className="min-w-0 text-sm" data-testid={`choose-${name}`}>
      <legend className="font-medium text-slate-700">{legend}</legend>
      <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
        <span className="text-slate-600" aria-live="polite" data-testid={`chosen-${name}`}>
          {chosen.size === 0 ? `None chosen: ${emptyMeans}` : `${chosen.size} of ${options.length} chosen`}
        </span>
        <button
          type="button"
          className={button}
          onClick={() =>
            setMany(
              shown.map((o) => o.value),
              true,
            )
          }
          disabled={shown.length === 0}
        >
          {needle ? "Choose all shown" : "Choose all"}
        </button>
        <button
          type="button"
          className={button}
          onClick={() => setMany(needle ? shown.map((o) => o.value) : [...chosen], false)}
          disabled={chosen.size === 0}
        >
          {needle ? "Clear shown" : "Clear"}
        </button>
      </div>
      {options.length >= FILTER_FROM ? (
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
      <div className="mt-1 max-h-48 space-y-0.5 overflow-y-auto rounded-lg border border-slate-200 bg-white p-1.5">
        {/* A chosen option that is not drawn (filtered out, or past the first RENDER_LIMIT) is still submitted. */}
        {[...chosen]
          .filter((v) => !drawnValues.has(v))
          .map((v) => (
            <input key={v} type="hidden" name={name} value={v} />
          ))}
        {drawn.map((o) => {
          return (
            <label
              key={o.value}
              className="flex items-start gap-2 rounded px-1 py-0.5 text-slate-700 hover:bg-slate-50"
            >
              <input
                type="checkbox"
                name={name}
                value={o.value}
                checked={chosen.has(o.value)}
                onChange={(e) => setMany([o.value], e.target.checked)}
                className="mt-0.5 rounded border-slate-300"
              />
              <span className="min-w-0 break-words">{o.label}</span>
            </label>
          );
        })}
        {shown.length === 0 ? <p className="px-1 py-0.5 text-xs text-slate-500">Nothing matches the filter.</p> : null}
        {shown.length > drawn.length ? (
          <p className="px-1 py-0.5 text-xs text-slate-500" data-testid={`more-${name}`}>
            The first {drawn.length} of {shown.length.toLocaleString("en")} shown: type to find the others.
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}
