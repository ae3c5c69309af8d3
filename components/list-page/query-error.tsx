import Link from "next/link";

type QueryIssue = { path: PropertyKey[]; message: string };

/** The message a list page shows instead of its list when its address carries a filter that does not validate. */
export function QueryError({
  issues,
  resetHref,
  resetLabel,
}: {
  issues: QueryIssue[];
  resetHref: string;
  resetLabel: string;
}) {
  return (
    <div
      role="alert"
      data-testid="query-error"
      className="rounded-xl border border-rose-200 bg-rose-50 p-5 text-sm text-rose-800"
    >
      <p className="font-semibold">This view’s address has a filter Custody cannot read.</p>
      <ul className="mt-2 list-disc pl-5">
        {issues.map((i) => (
          <li key={i.path.map(String).join(".")}>{i.message}</li>
        ))}
      </ul>
      <Link href={resetHref} className="mt-3 inline-block font-medium text-rose-900 underline">
        {resetLabel}
      </Link>
    </div>
  );
}

/**
 * For a list that shows itself unfiltered when its address does not validate (`queryOrDefaults`): what was wrong,
 * and what is shown instead (`showing`, e.g. "the unfiltered log").
 */
export function QueryFallbackNotice({ issues, showing }: { issues: QueryIssue[]; showing: string }) {
  return (
    <p
      role="alert"
      data-testid="query-error"
      className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      {issues.map((i) => i.message).join("; ")} — showing {showing}.
    </p>
  );
}
