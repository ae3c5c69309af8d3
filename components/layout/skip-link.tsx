"use client";
/**
 * "Skip to content": the first Tab stop of every page (the root layout renders it before anything else), hidden
 * until focused. It moves focus to <main id="content" tabIndex={-1}>, so the next Tab continues inside the page's
 * content instead of the navigation. The click handler focuses explicitly: a fragment link alone scrolls, and
 * whether it also moves focus depends on the browser.
 */
export function SkipLink() {
  return (
    <a
      href="#content"
      onClick={(event) => {
        const main = document.getElementById("content");
        if (!main) return;
        event.preventDefault();
        main.focus();
        main.scrollIntoView();
      }}
      className="sr-only rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:outline-2 focus:outline-offset-2 focus:outline-indigo-600"
    >
      Skip to content
    </a>
  );
}
