"use client";
/**
 * The filter form of a list page, applied as it changes: the URL is the view's state, so every change navigates to
 * the same page with the new query (the page reset to the first). Selects and checkboxes apply at once; text waits
 * until typing pauses (TYPING_PAUSE_MS) or Enter. The page re-renders on the server around the form, so the field
 * being edited keeps its focus and caret.
 *
 * History: a choice is a step back can undo (router.push); a typing run is one step, its later pauses replacing it
 * (router.replace), so Back returns to the view before the typing rather than through every prefix. When the URL
 * changes under the form (Back, Forward, a link), the fields are set from it again.
 */
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";

const TYPING_PAUSE_MS = 400;
/** Paging parameters: a changed filter starts again at the first page. */
const PAGING = ["page", "after", "before"];

type Field = HTMLInputElement | HTMLSelectElement;

const isField = (el: EventTarget | null): el is Field =>
  (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.name !== "";
const appliesAtOnce = (el: Field) => el instanceof HTMLSelectElement || el.type === "checkbox" || el.type === "radio";

/** A field the user changed from what the server rendered (before the page was hydrated, nothing applied it). */
function changedFromPage(el: Element): boolean {
  if (!isField(el) || el.type === "hidden") return false;
  if (el instanceof HTMLSelectElement) {
    if (el.multiple) return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
    const rendered = Array.from(el.options).findIndex((o) => o.defaultSelected);
    return el.selectedIndex !== Math.max(rendered, 0);
  }
  if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
  return el.value !== el.defaultValue;
}

/** The query the form stands for: the URL's own parameters, those of the form's fields replaced by their values. */
function queryOf(form: HTMLFormElement, current: URLSearchParams): string {
  const params = new URLSearchParams(current);
  for (const el of Array.from(form.elements)) if (isField(el)) params.delete(el.name);
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") params.append(name, value.trim());
  }
  for (const p of PAGING) params.delete(p);
  return params.toString();
}

export function AutoApplyForm({
  className,
  label,
  testId,
  children,
}: {
  className?: string;
  label: string;
  testId?: string;
  children: React.ReactNode;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const form = useRef<HTMLFormElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** The field whose typing run already made a history entry (its next pauses replace it). */
  const typingEntry = useRef<string | null>(null);
  /**
   * The queries this form navigated to that the URL has not reached yet, in order: when the URL arrives at one of
   * them, the form caused the change. Not just the last one: on a slow server the URL of an earlier pause can arrive
   * after the next pause already navigated, and it is still the form's own (not a Back).
   */
  const applied = useRef<Set<string>>(new Set());
  const [pending, startTransition] = useTransition();
  /** Set once hydrated: before that a change is not seen (a select may even be put back by hydration). */
  const [ready, setReady] = useState(false);

  const apply = (how: "push" | "replace") => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = null;
    if (!form.current) return;
    const query = queryOf(form.current, new URLSearchParams(searchParams.toString()));
    if (query === searchParams.toString()) return;
    applied.current.add(query);
    const href = query ? `${pathname}?${query}` : pathname;
    startTransition(() =>
      how === "push" ? router.push(href, { scroll: false }) : router.replace(href, { scroll: false }),
    );
  };

  // The URL changed: show what it says. When the form itself navigated, the field being typed in is left alone (the
  // URL is catching up with it, and more may have been typed since); when something else did (Back, Forward, Reset,
  // a filter chip's ×), every field follows the URL and pending typing is dropped.
  const query = searchParams.toString();
  /**
   * The query the fields last showed. The server rendered them from the first URL, so the first run leaves them be:
   * setting them again would wipe a choice made before hydration and would blank a select whose URL value the page
   * refused (an invalid `outcome=maybe` is shown as "any"), which the mount effect would then "apply" as a change.
   */
  const shownQuery = useRef(query);
  useEffect(() => {
    if (!form.current || shownQuery.current === query) return;
    shownQuery.current = query;
    const ours = applied.current.has(query);
    // An arrived query is used up, with any earlier one: Back to it later is not the form's doing.
    if (ours) {
      for (const q of applied.current) {
        applied.current.delete(q);
        if (q === query) break;
      }
    } else {
      applied.current.clear();
    }
    if (!ours && typingTimer.current) {
      clearTimeout(typingTimer.current);
      typingTimer.current = null;
    }
    if (!ours) typingEntry.current = null;
    const params = new URLSearchParams(query);
    for (const el of Array.from(form.current.elements)) {
      if (!isField(el) || el.type === "hidden" || (ours && el === document.activeElement)) continue;
      if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
        el.checked = params.getAll(el.name).includes(el.value);
      } else if (el instanceof HTMLSelectElement) {
        // A value the select does not offer (an address the page refused) shows as its first choice, never as none.
        const wanted = params.get(el.name) ?? "";
        el.value = Array.from(el.options).some((o) => o.value === wanted) ? wanted : (el.options[0]?.value ?? "");
      } else {
        el.value = params.get(el.name) ?? "";
      }
    }
  }, [query]);

  useEffect(() => {
    setReady(true);
    // A choice made while the page was still loading kept its value in the page but was never applied: apply it now.
    if (form.current && Array.from(form.current.elements).some(changedFromPage)) apply("replace");
    return () => {
      if (typingTimer.current) clearTimeout(typingTimer.current);
    };
    // Only on mount: later changes are applied by the handlers below.
  }, []);

  return (
    <form
      ref={form}
      method="get"
      className={className}
      aria-label={label}
      aria-busy={pending}
      data-testid={testId}
      data-pending={pending ? "" : undefined}
      data-ready={ready ? "" : undefined}
      onSubmit={(e) => {
        // Enter in a field, or a field of its own asking (the account filter once an account is chosen).
        e.preventDefault();
        typingEntry.current = null;
        apply("push");
      }}
      onChange={(e) => {
        const el = e.target;
        if (!isField(el)) return; // e.g. the account filter's search box: its chosen id is a hidden field
        if (appliesAtOnce(el)) {
          typingEntry.current = null;
          apply("push");
          return;
        }
        if (typingTimer.current) clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => {
          const how = typingEntry.current === el.name ? "replace" : "push";
          typingEntry.current = el.name;
          apply(how);
        }, TYPING_PAUSE_MS);
      }}
      onKeyDown={(e) => {
        // Enter applies now. A form with two text boxes has no implicit submission, and a field that used Enter
        // itself (choosing a suggestion) has said so with preventDefault.
        if (e.key !== "Enter" || e.defaultPrevented || !(e.target instanceof HTMLInputElement)) return;
        e.preventDefault();
        typingEntry.current = null;
        apply("push");
      }}
      onBlur={() => {
        typingEntry.current = null;
      }}
    >
      {children}
    </form>
  );
}
