/**
 * A chart's values as a table for screen readers only: the text alternative of a drawing. The wrapper is what
 * hides it — a table box ignores the 1 px width of sr-only and would widen the page on a narrow screen.
 */
export function HiddenDataTable({
  caption,
  columns,
  rows,
}: {
  caption: React.ReactNode;
  /** The value columns (the first column is each row's label). */
  columns: { key: string; label: string }[];
  rows: { key: string; label: string; values: Record<string, string> }[];
}) {
  return (
    <div className="sr-only">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {columns.map((c) => (
                <td key={c.key}>{r.values[c.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
