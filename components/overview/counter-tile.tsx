import Link from "next/link";

const TONE = {
  neutral: "text-slate-900",
  bad: "text-rose-700",
  warn: "text-amber-700",
} as const;

/** One posture number; the whole tile links to the list behind it. */
export function CounterTile({
  label,
  hint,
  count,
  href,
  tone,
  testId,
}: {
  label: string;
  hint: string;
  count: number;
  href: string;
  tone: keyof typeof TONE;
  testId: string;
}) {
  return (
    <Link
      href={href}
      data-testid={testId}
      data-count={count}
      className="group flex flex-col rounded-xl border border-slate-200 bg-white px-4 py-3.5 shadow-sm transition hover:border-indigo-300 hover:shadow"
    >
      <span className="text-xs font-medium text-slate-500">{label}</span>
      <span className={`mt-1 text-2xl font-semibold tabular-nums ${count === 0 ? "text-slate-500" : TONE[tone]}`}>
        {count.toLocaleString("en")}
      </span>
      <span className="mt-1 text-[11px] leading-snug text-slate-500 group-hover:text-slate-600">{hint}</span>
    </Link>
  );
}
