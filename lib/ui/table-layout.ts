/**
 * How a list table with narrow-only columns lays itself out (components/list-page/data-table.tsx; the CSS is
 * app/globals.css, "List tables narrower than their columns"). Every value is rendered once, in its own cell: the table
 * is a table from its widest column's width on, and below it a grid whose first row holds the columns shown at that
 * width and whose further rows are the other cells, each labelled with its header. (The cells used to be rendered
 * twice, as columns and as a list under the key cell: ≈ 40 % of a bucket list page's bytes and rendering time.)
 */

/**
 * Container widths (Tailwind's container sizes) from which a column shows as a column of its own. The table measures
 * its own box, not the window, so it adapts whatever the navigation beside it takes.
 */
export type ColumnWidth = "xl" | "2xl" | "3xl" | "4xl" | "5xl";

export const WIDTH_ORDER: readonly ColumnWidth[] = ["xl", "2xl", "3xl", "4xl", "5xl"];

/**
 * The table's widest narrow-only column width (below it the table is a grid) and the number of columns shown at each
 * width the grid is used at, as the custom properties the CSS reads: --dt-n below the smallest width, --dt-n-xl from
 * xl on, and so on up to the widest (from which the table is a table and needs no count). Nothing when every column
 * is always shown.
 */
export function stackedTableLayout(columns: readonly { showFrom?: ColumnWidth; primary?: boolean }[]): {
  widest?: ColumnWidth;
  style?: Record<`--dt-n${string}`, number>;
} {
  const narrowOnly = columns.filter((c) => c.showFrom && !c.primary);
  if (narrowOnly.length === 0) return {};
  const widest = WIDTH_ORDER.filter((w) => narrowOnly.some((c) => c.showFrom === w)).at(-1)!;
  const shownFrom = (level: number) =>
    columns.filter((c) => c.primary || !c.showFrom || WIDTH_ORDER.indexOf(c.showFrom) <= level).length;
  const style: Record<`--dt-n${string}`, number> = { "--dt-n": shownFrom(-1) };
  for (const [i, w] of WIDTH_ORDER.slice(0, WIDTH_ORDER.indexOf(widest)).entries()) style[`--dt-n-${w}`] = shownFrom(i);
  return { widest, style };
}
