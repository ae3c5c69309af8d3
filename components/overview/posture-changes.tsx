import Link from "next/link";

/** "Since the last sync": what the last finished sync made newly public, reachable from outside or failing. */
export function PostureChanges({
  latestAt,
  previousAt,
  changes,
}: {
  latestAt: Date | null;
  previousAt: Date | null;
  changes: {
    key: string;
    label: string;
    count: number;
    buckets: { id: number; name: string; accountId: string }[];
  }[];
}) {
  if (!latestAt || !previousAt) {
    return (
      <p className="text-sm text-slate-600" data-testid="posture-changes-none">
        {latestAt
          ? "Only one sync has finished so far: the next one will be compared with it."
          : "No sync has finished yet."}
      </p>
    );
  }
  return (
    <ul className="space-y-3" data-testid="posture-changes">
      {changes.map((c) => (
        <li key={c.key} data-testid={`change-${c.key}`} data-count={c.count}>
          <div className="flex items-baseline justify-between gap-3 text-sm">
            <span className="font-medium text-slate-800">{c.label}</span>
            <span className={`tabular-nums font-semibold ${c.count > 0 ? "text-rose-700" : "text-slate-700"}`}>
              {c.count.toLocaleString("en")}
            </span>
          </div>
          {c.buckets.length > 0 ? (
            <ul className="mt-1 space-y-0.5 text-xs">
              {c.buckets.map((b) => (
                <li key={b.id} className="truncate">
                  <Link href={`/buckets/${b.id}`} className="text-indigo-700 hover:underline">
                    {b.name}
                  </Link>{" "}
                  <span className="font-mono text-slate-600">{b.accountId}</span>
                </li>
              ))}
              {c.count > c.buckets.length ? (
                <li className="text-slate-600">and {(c.count - c.buckets.length).toLocaleString("en")} more</li>
              ) : null}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
