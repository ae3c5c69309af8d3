/**
 * The headline numbers over the last days, one small line each. The lines are decoration for sighted readers
 * (aria-hidden); each metric's first and last value are said in words, and the whole series is in a table that is
 * visually hidden but read by screen readers.
 */
import { HiddenDataTable } from "@/components/ui/hidden-data-table";

export interface TrendPoint {
  day: string;
  failing: number;
  classifiedPct: number | null;
  compliantPct: number | null;
}

const METRICS = [
  { key: "failing", label: "Buckets failing a required control", unit: "", betterWhen: "down" },
  { key: "classifiedPct", label: "Classified", unit: "%", betterWhen: "up" },
  { key: "compliantPct", label: "Meeting every required control", unit: "%", betterWhen: "up" },
] as const;

function Sparkline({ values }: { values: number[] }) {
  const w = 160;
  const h = 32;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const points = values
    .map(
      (v, i) => `${values.length > 1 ? (i * w) / (values.length - 1) : w / 2},${h - 2 - ((v - min) * (h - 4)) / span}`,
    )
    .join(" ");
  return (
    <svg aria-hidden="true" viewBox={`0 0 ${w} ${h}`} className="h-8 w-full max-w-40" preserveAspectRatio="none">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="2" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

export function HeadlineTrend({ points }: { points: TrendPoint[] }) {
  if (points.length === 0) {
    return <p className="text-sm text-slate-600">No daily numbers yet: every sync adds one.</p>;
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const show = (v: number | null, unit: string) => (v === null ? "—" : `${v.toLocaleString("en")}${unit}`);
  return (
    <div data-testid="headline-trend">
      <ul className="space-y-3">
        {METRICS.map((m) => {
          const values = points.map((p) => p[m.key]).filter((v): v is number => v !== null);
          const from = first[m.key];
          const to = last[m.key];
          const better = from !== null && to !== null && (m.betterWhen === "up" ? to > from : to < from);
          const worse = from !== null && to !== null && (m.betterWhen === "up" ? to < from : to > from);
          return (
            <li key={m.key} className="grid grid-cols-[1fr_auto] items-center gap-x-3 gap-y-1 sm:grid-cols-[1fr_10rem]">
              <div className="min-w-0">
                <div className="text-sm text-slate-700">{m.label}</div>
                <div className="text-xs text-slate-600" data-testid={`trend-${m.key}`}>
                  {show(from, m.unit)} → <span className="font-semibold text-slate-900">{show(to, m.unit)}</span>{" "}
                  {better ? "(better)" : worse ? "(worse)" : "(unchanged)"}
                </div>
              </div>
              <div className={better ? "text-emerald-600" : worse ? "text-rose-600" : "text-slate-500"}>
                {values.length > 1 ? <Sparkline values={values} /> : null}
              </div>
            </li>
          );
        })}
      </ul>
      <HiddenDataTable
        caption={`Headline numbers per day, ${first.day} to ${last.day}`}
        columns={METRICS.map((m) => ({ key: m.key, label: m.label }))}
        rows={points.map((p) => ({
          key: p.day,
          label: p.day,
          values: Object.fromEntries(METRICS.map((m) => [m.key, show(p[m.key], m.unit)])),
        }))}
      />
      <p className="mt-3 text-xs text-slate-600">
        Last {points.length} days, {first.day} to {last.day}.
      </p>
    </div>
  );
}
