/** A percentage with a thin bar; grey when there is nothing to measure. */
export function PercentBar({
  part,
  whole,
  tone = "indigo",
}: {
  part: number;
  whole: number;
  tone?: "indigo" | "emerald";
}) {
  if (whole === 0) return <span className="text-slate-500">—</span>;
  const pct = Math.round((100 * part) / whole);
  return (
    <span className="flex min-w-28 items-center gap-2">
      <span className="w-10 text-right tabular-nums font-medium text-slate-900">{pct}%</span>
      <span className="h-1.5 flex-1 rounded-full bg-slate-100">
        <span
          className={`block h-1.5 rounded-full ${tone === "emerald" ? "bg-emerald-500" : "bg-indigo-500"}`}
          style={{ width: `${pct}%` }}
        />
      </span>
    </span>
  );
}
