"use client";
/**
 * The account filter of the bucket and findings lists: a search box with suggestions (WAI-ARIA combobox) instead of a
 * select holding every account — at 1,000 accounts that select was most of each list page's HTML and render time.
 * Suggestions come from GET /api/account-options (authorized in the DAL). The form submits the chosen account's id
 * in a hidden field; text typed without choosing is submitted as is (on Enter), so the list's query schema answers a
 * clear message when it is not an account id.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { fieldClass } from "@/components/ui/form-field";
import { fetchAccountOptions, type AccountOption } from "@/lib/ui/account-options";

const labelOf = (a: AccountOption) => `${a.name} (${a.id})`;

export function AccountFilter({
  name,
  inputId,
  selected,
}: {
  name: string;
  inputId: string;
  selected: AccountOption | null;
}) {
  const [chosen, setChosen] = useState<AccountOption | null>(selected);
  const [text, setText] = useState(selected ? labelOf(selected) : "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [search, setSearch] = useState("");
  const listId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const hidden = useRef<HTMLInputElement>(null);

  // The view's URL changed (Back, Reset): show the account it is filtered by now.
  const selectedId = selected?.id ?? null;
  const [shownFor, setShownFor] = useState(selectedId);
  if (shownFor !== selectedId) {
    setShownFor(selectedId);
    setChosen(selected);
    setText(selected ? labelOf(selected) : "");
  }

  // A filter form that applies as it changes hears of a choice through a submit (the chosen id is a hidden field,
  // which fires no change event); it runs after the hidden field holds the new id.
  const chosenId = chosen?.id ?? null;
  const announced = useRef(selectedId);
  useEffect(() => {
    if (announced.current === chosenId) return;
    announced.current = chosenId;
    hidden.current?.form?.requestSubmit();
  }, [chosenId]);

  // Debounce typing so a fast typist sends one request, not one per key.
  useEffect(() => {
    const typed = chosen && text === labelOf(chosen) ? "" : text.trim();
    const t = setTimeout(() => setSearch(typed), 150);
    return () => clearTimeout(t);
  }, [text, chosen]);

  const options = useQuery({
    queryKey: ["account-options", search],
    queryFn: ({ signal }) => fetchAccountOptions(search, signal),
    enabled: open,
    staleTime: 30_000,
  });
  const accounts = options.data?.accounts ?? [];

  // Close the list when focus or a click lands outside the filter.
  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, []);

  const choose = (a: AccountOption | null) => {
    setChosen(a);
    setText(a ? labelOf(a) : "");
    setOpen(false);
    setActive(-1);
  };
  const submitted = chosen && text === labelOf(chosen) ? chosen.id : text.trim();

  return (
    <div ref={wrapper} className="relative">
      <input ref={hidden} type="hidden" name={name} value={submitted} />
      <div className="relative mt-1">
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder="All accounts"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setOpen(true);
              setActive((i) => Math.min(accounts.length - 1, i + 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((i) => Math.max(-1, i - 1));
            } else if (e.key === "Enter" && open && active >= 0 && accounts[active]) {
              e.preventDefault(); // pick the suggestion; the next Enter submits the filters
              choose(accounts[active]);
            } else if (e.key === "Escape") {
              setOpen(false);
            }
          }}
          className={`${fieldClass} pr-7`}
        />
        {text !== "" ? (
          <button
            type="button"
            aria-label="Clear the account filter"
            onClick={() => choose(null)}
            className="absolute inset-y-0 right-0 px-2 text-slate-500 hover:text-slate-700"
          >
            ×
          </button>
        ) : null}
      </div>
      {open ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Accounts"
          className="absolute z-20 mt-1 max-h-72 w-max min-w-full max-w-sm overflow-auto rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {options.isError ? (
            <li className="px-3 py-2 text-rose-700">{options.error.message}</li>
          ) : options.isPending ? (
            <li className="px-3 py-2 text-slate-500">Loading accounts…</li>
          ) : accounts.length === 0 ? (
            <li className="px-3 py-2 text-slate-500">No account name or id contains “{search}”.</li>
          ) : (
            accounts.map((a, i) => (
              <li
                key={a.id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onPointerDown={(e) => e.preventDefault()} // keep focus in the box
                onClick={() => choose(a)}
                onMouseEnter={() => setActive(i)}
                className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-indigo-50 text-indigo-900" : "text-slate-800"}`}
              >
                {a.name} <span className="font-mono text-xs text-slate-500">{a.id}</span>
              </li>
            ))
          )}
          {options.data?.more ? (
            <li className="border-t border-slate-100 px-3 py-1.5 text-xs text-slate-500">
              Type more of a name or id to narrow the list.
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
