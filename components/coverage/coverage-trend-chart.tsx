"use client";
/**
 * Coverage trend (recharts): one line per level plus all levels, for one measure (classified % or compliant %).
 * Colours are the theme's colour tokens (var(--color-…)), which switch with light/dark without a re-render. The
 * drawing is hidden from assistive technology; a caption and a visually hidden table give the same values as text.
 */
import { HiddenDataTable } from "@/components/ui/hidden-data-table";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface TrendSeries {
  key: string;
  label: string;
  /** A CSS colour; a theme token (var(--color-rose-600)) follows the theme. */
  color: string;
  emphasis?: boolean;
}

type Point = { day: string; [k: string]: number | string | null };

const formatDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

const percent = (value: number | string | null | undefined) =>
  value === null || value === undefined ? "—" : `${value}%`;

/** "All levels 40% on Sep 3, 62% on Dec 2" per series: the first and last known value. */
function summary(points: Point[], series: TrendSeries[]): string {
  return series
    .map((s) => {
      const known = points.filter((p) => p[s.key] !== null && p[s.key] !== undefined);
      const first = known[0];
      const last = known.at(-1);
      if (!first || !last) return `${s.label}: no data`;
      return first === last
        ? `${s.label}: ${percent(last[s.key])} on ${formatDay(last.day)}`
        : `${s.label}: ${percent(first[s.key])} on ${formatDay(first.day)}, ${percent(last[s.key])} on ${formatDay(last.day)}`;
    })
    .join("; ");
}

export function CoverageTrendChart({
  points,
  series,
  testId,
  title,
}: {
  points: Point[];
  series: TrendSeries[];
  testId: string;
  /** What the chart measures, for the text alternative ("Classified buckets"). */
  title: string;
}) {
  if (points.length === 0) {
    return (
      <p className="py-10 text-center text-sm text-slate-500">
        No daily aggregates yet: the first point appears after the next sync.
      </p>
    );
  }
  return (
    <figure data-testid={testId}>
      <div className="h-64 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--color-slate-200)" vertical={false} />
            <XAxis
              dataKey="day"
              tickFormatter={formatDay}
              tick={{ fontSize: 11, fill: "var(--color-slate-500)" }}
              minTickGap={32}
              tickLine={false}
              axisLine={{ stroke: "var(--color-slate-300)" }}
            />
            <YAxis
              domain={[0, 100]}
              tickFormatter={(v: number) => `${v}%`}
              tick={{ fontSize: 11, fill: "var(--color-slate-500)" }}
              tickLine={false}
              axisLine={false}
            />
            <Tooltip
              labelFormatter={(label) => formatDay(String(label))}
              formatter={(value, name) => [percent(value as number | null), name]}
              contentStyle={{
                fontSize: 12,
                borderRadius: 8,
                borderColor: "var(--color-slate-200)",
                backgroundColor: "var(--color-white)",
                color: "var(--color-slate-900)",
              }}
              labelStyle={{ color: "var(--color-slate-700)" }}
              cursor={{ stroke: "var(--color-slate-300)" }}
            />
            <Legend
              iconType="plainline"
              itemSorter={null}
              wrapperStyle={{ fontSize: 12, color: "var(--color-slate-600)" }}
            />
            {series.map((s) => (
              <Line
                key={s.key}
                type="linear"
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={s.emphasis ? 2.5 : 1.5}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only" data-testid={`${testId}-summary`}>
        {title}, per day. {summary(points, series)}.
      </figcaption>
      <HiddenDataTable
        caption={`${title}, per day`}
        columns={series.map((x) => ({ key: x.key, label: x.label }))}
        rows={points.map((p) => ({
          key: p.day,
          label: formatDay(p.day),
          values: Object.fromEntries(series.map((x) => [x.key, percent(p[x.key])])),
        }))}
      />
    </figure>
  );
}
