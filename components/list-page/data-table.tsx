import Link from "next/link";
import { EmptyState, PastEndRow } from "@/components/list-page/empty-state";
import { Pagination } from "@/components/list-page/pagination";
import { columnSort, withQuery, type QueryState, type SortDir } from "@/lib/list-query";
import type { ListPaging } from "@/lib/pagination";

/**
 * Container widths (Tailwind's container sizes) from which a column shows as a column of its own. The table measures
 * its own box, not the window, so it adapts whatever the navigation beside it takes.
 */
export type ColumnWidth = "xl" | "2xl" | "3xl" | "4xl" | "5xl";

// Spelled out whole so Tailwind finds the classes: the column's cells, and its value stacked under the key cell.
const SHOW_FROM: Record<ColumnWidth, { column: string; stacked: string }> = {
  xl: { column: "hidden @xl:table-cell", stacked: "@xl:hidden" }, // 36rem
  "2xl": { column: "hidden @2xl:table-cell", stacked: "@2xl:hidden" }, // 42rem
  "3xl": { column: "hidden @3xl:table-cell", stacked: "@3xl:hidden" }, // 48rem
  "4xl": { column: "hidden @4xl:table-cell", stacked: "@4xl:hidden" }, // 56rem
  "5xl": { column: "hidden @5xl:table-cell", stacked: "@5xl:hidden" }, // 64rem
};

const WIDTH_ORDER: readonly ColumnWidth[] = ["xl", "2xl", "3xl", "4xl", "5xl"];

/** One column of a list's table: its header, how a row fills its cell, and — when it sorts — its sort key. */
export interface Column<Row> {
  header: string;
  /** The `sort` value of the list's query that orders by this column; its header is then a link. */
  sort?: string;
  /** Classes of the column's cells, beside the list's standard padding (`cell`, app/globals.css), which they may override. */
  className?: string;
  cell: (row: Row) => React.ReactNode;
  /**
   * Shown as a column only from this table width on; narrower, its value is stacked under the key column's cell
   * (labelled with the header), so nothing is lost. Unset: always a column.
   */
  showFrom?: ColumnWidth;
  /** The row's key cell (e.g. the name): narrower columns stack their values under it. One per table. */
  primary?: boolean;
}

/** The attributes of a row's `<tr>`: a class, and `data-*` values that tests and styles select by. */
export type RowAttributes = React.ComponentProps<"tr"> & {
  [data: `data-${string}`]: string | number | boolean | undefined;
};

/** The order a list is shown in (`key`, `dir` as in its query), how each sort starts, and the view its links keep. */
export interface TableSort {
  key: string;
  dir?: SortDir;
  defaultDir: Readonly<Record<string, SortDir>>;
  path: string;
  state: QueryState;
}

/**
 * A list's table: headers (sortable ones link to the view sorted by them), one row per item, the empty state or the
 * "page past the end" row when there is none, and the pagination footer.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowAttributes,
  bodyTestId,
  empty,
  sort,
  paging,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  rowAttributes?: (row: Row) => RowAttributes;
  bodyTestId: string;
  /** What the table says when no row matches. */
  empty: React.ReactNode;
  sort?: TableSort;
  paging: ListPaging;
}) {
  const stacked = columns.filter((c) => c.showFrom && !c.primary);
  const hidden = (c: Column<Row>) => (c.showFrom ? SHOW_FROM[c.showFrom].column : "");
  return (
    <div className="@container overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              {columns.map((c) =>
                c.sort && sort ? (
                  <SortHeader key={c.header} label={c.header} column={c.sort} sort={sort} className={hidden(c)} />
                ) : (
                  <th key={c.header} className={`px-4 py-3 ${hidden(c)}`}>
                    {c.header}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid={bodyTestId}>
            {rows.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-slate-50" {...rowAttributes?.(row)}>
                {columns.map((c) => (
                  <td key={c.header} className={`cell ${c.className ?? ""} ${hidden(c)}`}>
                    {c.cell(row)}
                    {c.primary && stacked.length > 0 ? <StackedValues columns={stacked} row={row} /> : null}
                  </td>
                ))}
              </tr>
            ))}
            {rows.length > 0 ? null : paging.pastEnd && paging.total > 0 ? (
              <PastEndRow colSpan={columns.length} page={paging.page} pages={paging.pages} lastHref={paging.lastHref} />
            ) : (
              <EmptyState colSpan={columns.length}>{empty}</EmptyState>
            )}
          </tbody>
        </table>
      </div>
      <Pagination
        page={paging.page}
        pages={paging.pages}
        pagesKnown={paging.pagesKnown}
        previousHref={paging.previousHref}
        nextHref={paging.nextHref}
      />
    </div>
  );
}

/** The values of the columns the table is too narrow to show, each under its header's name, in the key cell. */
function StackedValues<Row>({ columns, row }: { columns: readonly Column<Row>[]; row: Row }) {
  // The list itself goes once the widest of them is a column again (no empty margin left behind).
  const widest = WIDTH_ORDER.filter((w) => columns.some((c) => c.showFrom === w)).at(-1)!;
  return (
    <dl className={`stacked ${SHOW_FROM[widest].stacked}`} data-stacked="">
      {columns.map((c) => (
        <div key={c.header} className={`stacked-item ${SHOW_FROM[c.showFrom!].stacked}`}>
          <dt className="text-slate-500">{c.header}</dt>
          <dd className="stacked-value">{c.cell(row)}</dd>
        </div>
      ))}
    </dl>
  );
}

function SortHeader({
  label,
  column,
  sort,
  className,
}: {
  label: string;
  column: string;
  sort: TableSort;
  className: string;
}) {
  const { active, dir, nextDir, ariaSort } = columnSort(column, sort, sort.defaultDir);
  return (
    <th className={`px-4 py-3 ${className}`} aria-sort={ariaSort}>
      <Link
        href={withQuery(sort.path, sort.state, { sort: column, dir: nextDir })}
        className={`inline-flex items-center gap-1 hover:text-slate-800 ${active ? "text-slate-900" : ""}`}
      >
        {label}
        {active ? <span aria-hidden="true">{dir === "asc" ? "▲" : "▼"}</span> : null}
      </Link>
    </th>
  );
}
