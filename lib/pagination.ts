/** A list page's pagination: what it says about where the reader is, and where its page links lead. */
import { withQuery, type QueryState } from "@/lib/list-query";

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
  /** False when the list was counted only up to `total` (it holds more): `pages` is then only as far as counted. */
  pagesKnown: boolean;
}

export function pageSpan({
  total,
  page,
  pageSize,
  noun,
  more,
}: {
  total: number;
  page: number;
  pageSize: number;
  noun: string;
  /**
   * The list was counted only this far and holds more (`total` is a lower bound): with how many rows this page
   * shows (at least one: a page that shows none needs the exact count to say where the end is).
   */
  more?: { shown: number };
}): PageSpan {
  if (more && more.shown > 0) {
    const first = (page - 1) * pageSize + 1;
    const last = first + more.shown - 1;
    return {
      first,
      last,
      pages: Math.max(page, Math.ceil(total / pageSize)),
      pastEnd: false,
      pagesKnown: false,
      summary: `${first.toLocaleString("en")}–${last.toLocaleString("en")} of more than ${Math.max(total, last).toLocaleString("en")} ${noun}`,
    };
  }
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const count = `${total.toLocaleString("en")} ${noun}`;
  if (total === 0)
    return { first: 0, last: 0, pages, pastEnd: page > 1, pagesKnown: true, summary: `No ${noun} match` };
  if (page > pages) {
    return {
      first: 0,
      last: 0,
      pages,
      pastEnd: true,
      pagesKnown: true,
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
    pagesKnown: true,
    summary: `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${count}`,
  };
}

/** Where a list's pagination links lead; null for a page that does not exist. */
export interface ListPaging extends PageSpan {
  page: number;
  total: number;
  previousHref: string | null;
  nextHref: string | null;
  /** The last page by number (OFFSET): from a page past the end, where no row gives a cursor. */
  lastHref: string;
}

/**
 * The pagination of a list page, from the view it shows (`state`: its links never carry a page) and the page it read.
 * A list read by keyset passes the cursors of its first and last row: Next and Previous then carry `after` / `before`
 * (the row to continue from), so a page deep in 100,000 rows costs what page 1 does. Page 1 is the bare view.
 * A DAL list result (`{ rows, total, page, pageSize }`) can be spread into it.
 */
export function listPaging({
  path,
  state,
  page,
  pageSize,
  total,
  rows,
  noun,
  cursors,
  totalIsLowerBound,
}: {
  path: string;
  state: QueryState;
  page: number;
  pageSize: number;
  total: number;
  /** The list was counted only up to `total` and holds more (see `pageSpan`). */
  totalIsLowerBound?: boolean;
  /** The rows on this page: fewer than a page means there is no next one. */
  rows: readonly unknown[];
  noun: string;
  cursors?: { previous: string | null; next: string | null };
}): ListPaging {
  const span = pageSpan({
    total,
    page,
    pageSize,
    noun,
    more: totalIsLowerBound ? { shown: rows.length } : undefined,
  });
  const lastHref = withQuery(path, state, span.pages <= 1 ? {} : { page: span.pages });
  const previousHref = span.pastEnd
    ? lastHref
    : page <= 1
      ? null
      : withQuery(path, state, page - 1 <= 1 ? {} : { page: page - 1, before: cursors?.previous });
  const nextHref =
    (span.pagesKnown && page >= span.pages) || rows.length < pageSize
      ? null
      : withQuery(path, state, { page: page + 1, after: cursors?.next });
  return { ...span, page, total, previousHref, nextHref, lastHref };
}
