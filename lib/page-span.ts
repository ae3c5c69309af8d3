/**
 * What a paginated list says about where the reader is: "51–100 of 1,234 buckets", or — for a page number typed or
 * bookmarked beyond the end (the list shrank since) — that the page is past the end, and which page is the last.
 */
export interface PageSpan {
  /** 1-based index of the first and last row shown; 0 when nothing is shown. */
  first: number;
  last: number;
  /** Number of pages the list has now (at least 1). */
  pages: number;
  /** The page asked for lies beyond the last page (of an empty list: any page but the first). */
  pastEnd: boolean;
  /** The count line above the table. */
  summary: string;
}

export function pageSpan({
  total,
  page,
  pageSize,
  noun,
}: {
  total: number;
  page: number;
  pageSize: number;
  noun: string;
}): PageSpan {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const count = `${total.toLocaleString("en")} ${noun}`;
  if (total === 0) return { first: 0, last: 0, pages, pastEnd: page > 1, summary: `No ${noun} match` };
  if (page > pages) {
    return {
      first: 0,
      last: 0,
      pages,
      pastEnd: true,
      summary: `Page ${page.toLocaleString("en")} is past the end: ${count} fill ${pages.toLocaleString("en")} ${pages === 1 ? "page" : "pages"}`,
    };
  }
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return {
    first,
    last,
    pages,
    pastEnd: false,
    summary: `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${count}`,
  };
}
