import Link from "next/link";

/**
 * The footer of a paginated table: "Page n of m" ("Page n" when the list was not counted to the end) and Previous /
 * Next links (null = no such page). A page past the end
 * (a typed or bookmarked number beyond a list that shrank) says so, and Previous leads to the last page.
 */
export function Pagination({
  page,
  pages,
  pagesKnown = true,
  previousHref,
  nextHref,
}: {
  page: number;
  pages: number;
  /** False when the list was not counted to the end: no "of m". */
  pagesKnown?: boolean;
  previousHref: string | null;
  nextHref: string | null;
}) {
  return (
    <nav
      aria-label="Pagination"
      className="flex items-center justify-between border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm"
    >
      <span className="text-slate-500">
        {page > pages
          ? `Past the last page (page ${pages.toLocaleString("en")})`
          : pagesKnown
            ? `Page ${page.toLocaleString("en")} of ${pages.toLocaleString("en")}`
            : `Page ${page.toLocaleString("en")}`}
      </span>
      <div className="flex gap-2">
        <PageLink href={previousHref}>{page > pages ? "Last page" : "Previous"}</PageLink>
        <PageLink href={nextHref}>Next</PageLink>
      </div>
    </nav>
  );
}

function PageLink({ href, children }: { href: string | null; children: React.ReactNode }) {
  if (!href)
    return (
      <span className="rounded-lg border border-slate-200 px-3 py-1 text-slate-500" aria-disabled="true">
        {children}
      </span>
    );
  return (
    <Link
      href={href}
      className="rounded-lg border border-slate-300 bg-white px-3 py-1 font-medium text-slate-700 hover:bg-slate-100"
    >
      {children}
    </Link>
  );
}
