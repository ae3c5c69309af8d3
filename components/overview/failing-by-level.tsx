import Link from "next/link";

/** Failing buckets per classification level (and unclassified), each a share of the level's buckets and a link. */
export function FailingByLevel({
  rows,
}: {
  rows: { key: string; label: string; failing: number; total: number; href: string }[];
}) {
  return (
    <ul className="space-y-2" data-testid="failing-by-level">
      {rows.map((r) => {
        const pct = r.total > 0 ? Math.round((100 * r.failing) / r.total) : 0;
        return (
          <li key={r.key}>
            <Link href={r.href} className="group block" data-testid={`failing-level-${r.key}`} data-count={r.failing}>
              <div className="flex items-baseline justify-between gap-3 text-sm">
                <span className="text-slate-700 group-hover:text-indigo-700 group-hover:underline">{r.label}</span>
                <span className="shrink-0 tabular-nums text-slate-900">
                  <span className="font-semibold">{r.failing.toLocaleString("en")}</span>
                  <span className="text-xs text-slate-600"> of {r.total.toLocaleString("en")} failing</span>
                </span>
              </div>
              <div className="mt-1 h-1.5 rounded-full bg-slate-100" aria-hidden="true">
                <div className="h-1.5 rounded-full bg-rose-500/80" style={{ width: `${pct}%` }} />
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
