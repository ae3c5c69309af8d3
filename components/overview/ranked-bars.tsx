import Link from "next/link";

/** A ranked list with proportional bars (failing controls); each row links to its bucket view. */
export function RankedBars({
  items,
  total,
  testId,
}: {
  items: { key: string; label: string; count: number; href: string }[];
  /** What the bars are a share of (buckets in scope). */
  total: number;
  testId: string;
}) {
  if (items.length === 0) return <p className="text-sm text-slate-500">No control fails on any bucket.</p>;
  return (
    <ol className="space-y-2" data-testid={testId}>
      {items.map((item) => (
        <li key={item.key}>
          <Link href={item.href} className="group block" data-testid={`${testId}-${item.key}`} data-count={item.count}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="truncate text-slate-700 group-hover:text-indigo-700 group-hover:underline">
                {item.label}
              </span>
              <span className="shrink-0 tabular-nums font-semibold text-slate-900">
                {item.count.toLocaleString("en")}
                <span className="ml-1 text-xs font-normal text-slate-500">
                  {total > 0 ? `${Math.round((100 * item.count) / total)}%` : ""}
                </span>
              </span>
            </div>
            <div className="mt-1 h-1.5 rounded-full bg-slate-100">
              <div
                className="h-1.5 rounded-full bg-rose-500/80"
                style={{ width: `${total > 0 ? Math.max(1, (100 * item.count) / total) : 0}%` }}
              />
            </div>
          </Link>
        </li>
      ))}
    </ol>
  );
}
