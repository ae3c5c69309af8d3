"use client";
/**
 * Below 1280 px the sidebar gives way to this: a "Menu" button in the top bar that opens the same navigation panel
 * as a modal drawer. A native <dialog> opened with showModal() keeps focus inside and makes the page behind it inert;
 * Esc, the close button, a click on the backdrop and following any link close it, and focus goes back to the button.
 */
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

export function NavigationDrawer({ header, children }: { header: React.ReactNode; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const titleId = useId();
  const pathname = usePathname();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // A navigation (also one started elsewhere, e.g. the browser's back button) closes the drawer.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    if (open) setOpen(false);
  }

  // The drawer is for narrow windows only: widening the window past the sidebar's breakpoint closes it.
  useEffect(() => {
    if (!open) return;
    const wide = window.matchMedia("(min-width: 80rem)");
    const onChange = () => wide.matches && setOpen(false);
    wide.addEventListener("change", onChange);
    return () => wide.removeEventListener("change", onChange);
  }, [open]);

  function onClose() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onClick(event: React.MouseEvent<HTMLDialogElement>) {
    // A click on the dialog element itself is a click on its backdrop (the panel fills the rest); a link closes it.
    const target = event.target as HTMLElement;
    if (target === event.currentTarget || target.closest("a")) dialogRef.current?.close();
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(true)}
        className="inline-flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 xl:hidden"
      >
        <svg
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          aria-hidden="true"
        >
          <path d="M4 6h16M4 12h16M4 18h16" />
        </svg>
        Menu
      </button>
      <dialog
        ref={dialogRef}
        id={id}
        aria-labelledby={titleId}
        onClose={onClose}
        onClick={onClick}
        className="fixed inset-y-0 left-0 m-0 h-full max-h-none w-72 max-w-[85vw] overflow-y-auto bg-slate-900 scheme-light backdrop:bg-[rgb(2_6_23/0.6)] xl:hidden"
      >
        {open ? (
          <div className="flex min-h-full flex-col">
            <div className="flex items-center justify-between pr-3">
              {header}
              <h2 id={titleId} className="sr-only">
                Navigation
              </h2>
              <button
                type="button"
                onClick={() => dialogRef.current?.close()}
                className="rounded-md p-2 text-slate-300 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-white"
              >
                <span className="sr-only">Close menu</span>
                <svg
                  viewBox="0 0 24 24"
                  className="h-5 w-5"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.8"
                  strokeLinecap="round"
                  aria-hidden="true"
                >
                  <path d="M6 6l12 12M18 6L6 18" />
                </svg>
              </button>
            </div>
            {children}
          </div>
        ) : null}
      </dialog>
    </>
  );
}
