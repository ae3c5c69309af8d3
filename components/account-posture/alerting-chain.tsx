import { chainLinks, type LinkState } from "@/lib/domain/account-controls/alerting-chain-links";

/**
 * The bucket-change alerting chain as a list of links — trail → metric filter → alarm → SNS topic → confirmed
 * subscription — from the control's stored evidence: the links that hold, the one where it breaks (failed or
 * unreadable, with the reason), and the ones never reached.
 */
const MARK: Record<LinkState, { symbol: string; className: string; word: string }> = {
  ok: { symbol: "✓", className: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", word: "holds" },
  broken: { symbol: "✕", className: "bg-rose-50 text-rose-700 ring-rose-600/30", word: "breaks here" },
  unknown: { symbol: "?", className: "bg-amber-50 text-amber-800 ring-amber-600/30", word: "could not be read" },
  "not-reached": { symbol: "·", className: "bg-slate-50 text-slate-500 ring-slate-500/15", word: "not reached" },
};

export function AlertingChain({ status, reason, evidence }: { status: string; reason: string; evidence: unknown }) {
  const links = chainLinks(status, reason, evidence);
  return (
    <ol className="space-y-2" aria-label="Bucket-change alerting chain" data-testid="alerting-chain">
      {links.map((l, i) => (
        <li key={l.label} className="flex items-start gap-3" data-link={l.label} data-state={l.state}>
          <span
            className={`mt-0.5 inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ring-1 ring-inset ${MARK[l.state].className}`}
            aria-hidden="true"
          >
            {MARK[l.state].symbol}
          </span>
          <div className="min-w-0">
            <div className="text-sm font-medium text-slate-900">
              {i > 0 ? (
                <span className="text-slate-400" aria-hidden="true">
                  →{" "}
                </span>
              ) : null}
              {l.label} <span className="sr-only">({MARK[l.state].word})</span>
              {l.state === "broken" || l.state === "unknown" ? (
                <span
                  className={`ml-2 text-xs font-semibold ${l.state === "broken" ? "text-rose-700" : "text-amber-800"}`}
                >
                  {MARK[l.state].word}
                </span>
              ) : null}
            </div>
            <div className="break-words font-mono text-xs text-slate-600">{l.detail}</div>
          </div>
        </li>
      ))}
    </ol>
  );
}
