"use client";
/**
 * "Find anything": a search dialog over buckets, accounts, tag values and Macie finding types, opened from any page
 * with ⌘K / Ctrl-K or its button. A modal <dialog> (the page behind is inert, so focus stays inside, and Esc
 * closes it) holding a WAI-ARIA combobox: the text box owns a listbox of grouped options; ArrowUp/ArrowDown move
 * the active option (aria-activedescendant, focus stays in the box), Enter opens it, and focus returns to where it
 * was on close. Results come from GET /api/search (authorized and capped in the DAL).
 */
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

interface SearchHit {
  label: string;
  detail: string;
  href: string;
}
interface SearchGroup {
  key: string;
  label: string;
  hits: SearchHit[];
}

const MIN_LENGTH = 2;
const TYPING_PAUSE_MS = 150;

type State =
  | { status: "idle" }
  | { status: "loading"; q: string }
  | { status: "done"; q: string; groups: SearchGroup[] }
  | { status: "error"; q: string; message: string };

export function GlobalSearch() {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [state, setState] = useState<State>({ status: "idle" });
  const [active, setActive] = useState(0);
  const ids = useId();
  const listId = `${ids}-results`;
  const titleId = `${ids}-title`;
  const [shortcut, setShortcut] = useState("Ctrl K");

  const open = () => {
    if (!dialog.current || dialog.current.open) return;
    dialog.current.showModal();
    input.current?.select();
  };
  const close = () => dialog.current?.close();

  useEffect(() => {
    if (/Mac|iPhone|iPad/.test(navigator.platform)) setShortcut("⌘K");
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        open();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  // Search when typing pauses; a newer text aborts the request of an older one.
  const q = text.trim();
  useEffect(() => {
    if (q.length < MIN_LENGTH) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      setState({ status: "loading", q });
      try {
        const res = await fetch(`/api/search?q=${encodeURIComponent(q)}`, { signal: abort.signal });
        const body = (await res.json()) as { groups?: SearchGroup[]; message?: string };
        if (!res.ok) throw new Error(body.message ?? `The search failed (HTTP ${res.status}).`);
        setState({ status: "done", q, groups: body.groups ?? [] });
        setActive(0);
      } catch (error) {
        if (abort.signal.aborted) return;
        setState({ status: "error", q, message: error instanceof Error ? error.message : String(error) });
      }
    }, TYPING_PAUSE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);

  const groups = q.length >= MIN_LENGTH && state.status === "done" ? state.groups : [];
  const hits = groups.flatMap((g) => g.hits);
  const go = (hit: SearchHit | undefined) => {
    if (!hit) return;
    close();
    setText("");
    setState({ status: "idle" });
    router.push(hit.href);
  };
  const optionId = (i: number) => `${ids}-option-${i}`;

  let index = -1;
  return (
    <>
      <button
        type="button"
        onClick={open}
        aria-haspopup="dialog"
        aria-keyshortcuts="Meta+K Control+K"
        className="flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-left text-sm text-slate-600 shadow-sm hover:border-slate-400 hover:text-slate-800 sm:w-64 sm:px-3"
        data-testid="global-search-button"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 shrink-0" fill="currentColor">
          <path
            fillRule="evenodd"
            d="M9 3.5a5.5 5.5 0 1 0 3.4 9.83l3.63 3.64a.75.75 0 1 0 1.06-1.06l-3.63-3.64A5.5 5.5 0 0 0 9 3.5ZM5 9a4 4 0 1 1 8 0 4 4 0 0 1-8 0Z"
            clipRule="evenodd"
          />
        </svg>
        {/* Below 640 px the button is its icon (the text stays its accessible name): the top bar must fit 390 px. */}
        <span className="sr-only sm:not-sr-only sm:flex-1">Search…</span>
        <kbd className="ml-auto hidden rounded border border-slate-300 px-1 text-xs text-slate-500 sm:inline">
          {shortcut}
        </kbd>
      </button>

      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="mx-auto mt-[10vh] w-[min(40rem,calc(100vw-2rem))] rounded-xl bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50"
        onClick={(e) => {
          if (e.target === dialog.current) close(); // a click on the backdrop
        }}
        data-testid="global-search"
      >
        <div className="border-b border-slate-200 p-3">
          <h2 id={titleId} className="sr-only">
            Find anything
          </h2>
          <input
            ref={input}
            type="text"
            role="combobox"
            aria-label="Find a bucket, account, tag value or finding type"
            aria-expanded={hits.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={hits.length > 0 ? optionId(active) : undefined}
            autoComplete="off"
            spellCheck={false}
            placeholder="Bucket, account, tag value or finding type…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") {
                e.preventDefault();
                setActive((i) => (hits.length ? (i + 1) % hits.length : 0));
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                setActive((i) => (hits.length ? (i - 1 + hits.length) % hits.length : 0));
              } else if (e.key === "Enter") {
                e.preventDefault();
                go(hits[active]);
              }
            }}
            className="w-full rounded-lg border border-slate-300 px-3 py-2 text-base focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30"
          />
        </div>
        <div className="max-h-[60vh] overflow-y-auto p-2">
          <ul id={listId} role="listbox" aria-label="Results" className="space-y-2">
            {groups.map((g) => (
              <li key={g.key} role="presentation">
                <ul role="group" aria-labelledby={`${ids}-group-${g.key}`}>
                  <li
                    role="presentation"
                    aria-hidden="true"
                    id={`${ids}-group-${g.key}`}
                    className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-600"
                  >
                    {g.label}
                  </li>
                  {g.hits.map((hit) => {
                    index += 1;
                    const i = index;
                    return (
                      <li
                        key={hit.href}
                        id={optionId(i)}
                        role="option"
                        aria-selected={i === active}
                        onPointerDown={(e) => e.preventDefault()} // keep focus in the box
                        onClick={() => go(hit)}
                        onMouseMove={() => setActive(i)}
                        className={`cursor-pointer rounded-lg px-2 py-1.5 ${i === active ? "bg-indigo-50 text-indigo-900" : ""}`}
                      >
                        <span className="block truncate text-sm font-medium">{hit.label}</span>
                        <span className="block truncate text-xs text-slate-600">{hit.detail}</span>
                      </li>
                    );
                  })}
                </ul>
              </li>
            ))}
          </ul>
          <p className="px-2 py-1 text-sm text-slate-600" role="status" aria-live="polite">
            {q.length < MIN_LENGTH
              ? `Type at least ${MIN_LENGTH} characters. ↑ ↓ to move, Enter to open, Esc to close.`
              : state.status === "error" && state.q === q
                ? state.message
                : state.status === "done" && state.q === q
                  ? hits.length === 0
                    ? `Nothing contains “${q}”.`
                    : `${hits.length} result${hits.length === 1 ? "" : "s"}.`
                  : "Searching…"}
          </p>
        </div>
      </dialog>
    </>
  );
}
