import Link from "next/link";
import { EmptyState, PastEndRow } from "@/components/list-page/empty-state";
import { Pagination } from "@/components/list-page/pagination";
import { columnSort, withQuery, type QueryState, type SortDir } from "@/lib/list-query";
import type { ListPaging } from "@/lib/pagination";
import { stackedTableLayout, type ColumnWidth } from "@/lib/ui/table-layout";

export type { ColumnWidth };

/**
 * Below a width (Tailwind's container sizes: xl = 36rem … 5xl = 64rem): the table is a grid (its widest narrow-only
 * column's width), a column's cell stacks on a labelled line of its own, its header hides (app/globals.css, dt-grid
 * and dt-stack). Spelled out whole so Tailwind finds the classes.
 */
const NARROW: Record<ColumnWidth, { table: string; cell: string; header: string }> = {
  xl: { table: "@max-xl:dt-grid", cell: "@max-xl:dt-stack", header: "@max-xl:hidden" },
  "2xl": { table: "@max-2xl:dt-grid", cell: "@max-2xl:dt-stack", header: "@max-2xl:hidden" },
  "3xl": { table: "@max-3xl:dt-grid", cell: "@max-3xl:dt-stack", header: "@max-3xl:hidden" },
  "4xl": { table: "@max-4xl:dt-grid", cell: "@max-4xl:dt-stack", header: "@max-4xl:hidden" },
  "5xl": { table: "@max-5xl:dt-grid", cell: "@max-5xl:dt-stack", header: "@max-5xl:hidden" },
};

/** The grid's column count at each width, from the counts stackedTableLayout puts in the table's style. */
const COLUMN_COUNTS =
  "[--dt-cols:var(--dt-n)] @xl:[--dt-cols:var(--dt-n-xl)] @2xl:[--dt-cols:var(--dt-n-2xl)] " +
  "@3xl:[--dt-cols:var(--dt-n-3xl)] @4xl:[--dt-cols:var(--dt-n-4xl)]";

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
  const layout = stackedTableLayout(columns);
  const narrow = (c: Column<Row>) => (c.showFrom && !c.primary ? NARROW[c.showFrom] : null);
  const grid = layout.widest ? `${NARROW[layout.widest].table} ${COLUMN_COUNTS}` : "";
  return (
    <div className="@container overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="overflow-x-auto">
        <table
          className={`min-w-full divide-y divide-slate-200 text-sm ${grid}`}
          style={layout.style as React.CSSProperties | undefined}
        >
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              {columns.map((c) =>
                c.sort && sort ? (
                  <SortHeader
                    key={c.header}
                    label={c.header}
                    column={c.sort}
                    sort={sort}
                    className={narrow(c)?.header ?? ""}
                  />
                ) : (
                  <th key={c.header} className={`px-4 py-3 ${narrow(c)?.header ?? ""}`}>
                    {c.header}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid={bodyTestId}>
            {rows.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-slate-50" {...rowAttributes?.(row)}>
                {columns.map((c) => {
                  const n = narrow(c);
                  // data-label: the stacked cell's label (dt-stack); left out where the cell never stacks.
                  return (
                    <td
                      key={c.header}
                      className={`cell ${c.className ?? ""} ${n?.cell ?? ""}`}
                      data-label={n ? c.header : undefined}
                    >
                      {c.cell(row)}
                    </td>
                  );
                })}
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
