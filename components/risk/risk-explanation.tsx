import { Card } from "@/components/ui/card";
import type { RiskTerm } from "@/lib/domain/risk/compute-risk-score";

/** The risk score as the sum of its terms (capped at 100), largest first, so the number explains itself. */
export function RiskExplanation({ score, terms }: { score: number; terms: RiskTerm[] | null }) {
  const sorted = terms ? [...terms].sort((a, b) => b.points - a.points) : null;
  const sum = terms?.reduce((n, t) => n + t.points, 0) ?? 0;
  return (
    <Card
      title="Why this risk score"
      description="The score is the sum of these terms, capped at 100. Waived controls are listed at 0 points so the waiver stays visible."
    >
      {sorted === null ? (
        <p className="text-sm text-slate-500">
          This bucket was evaluated before Custody stored risk terms; the next sync explains its score.
        </p>
      ) : sorted.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="risk-terms">
          Nothing adds risk: not public, no sensitive-data mismatch, every required control passes.
        </p>
      ) : (
        <table className="min-w-full text-sm" data-testid="risk-terms">
          <tbody className="divide-y divide-slate-100">
            {sorted.map((t, i) => (
              <tr key={`${t.label}-${i}`}>
                <td className="py-1.5 pr-4 text-slate-700">{t.label}</td>
                <td
                  className={`py-1.5 text-right font-semibold tabular-nums ${t.points > 0 ? "text-rose-700" : "text-slate-500"}`}
                >
                  +{t.points}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="border-t border-slate-200">
              <td className="pt-2 pr-4 text-xs font-semibold uppercase tracking-wide text-slate-500">
                Score{sum > 100 ? ` (sum ${sum}, capped)` : ""}
              </td>
              <td className="pt-2 text-right font-semibold tabular-nums text-slate-900">{score}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </Card>
  );
}
