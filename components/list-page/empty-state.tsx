import Link from "next/link";

/** What a table body shows when no row matches: one row across every column saying so. */
export function EmptyState({ colSpan, children }: { colSpan: number; children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-12 text-center text-sm text-slate-500">
        {children}
      </td>
    </tr>
  );
}

/** The table body's row for a page past the end: what happened and a link to the last page. */
export function PastEndRow({
  colSpan,
  page,
  pages,
  lastHref,
}: {
  colSpan: number;
  page: number;
  pages: number;
  lastHref: string;
}) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-12 text-center text-sm text-slate-500" data-testid="past-end">
        There is no page {page.toLocaleString("en")}: this list has {pages.toLocaleString("en")}{" "}
        {pages === 1 ? "page" : "pages"}.{" "}
        <Link href={lastHref} className="font-medium text-indigo-700 hover:underline">
          Go to the last page
        </Link>
      </td>
    </tr>
  );
}
