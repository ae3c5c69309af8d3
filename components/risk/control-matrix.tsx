/** The control matrix of one bucket: required?, status, why, evidence, and AWS Config's verdict side by side. */
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

export interface ControlMeta {
  id: string;
  title: string;
  checks: string;
  fix: string;
  configRuleIdentifier: string | null;
  /** What Config is compared with when it is not this control's verdict (the rule's own question), or why not at all. */
  configRuleBasis: string | null;
  securityHubControlId: string | null;
}

export interface ControlResultRow {
  controlId: string;
  required: boolean;
  status: string;
  observed: string;
  reason: string;
  evidence: unknown;
  configVerdict: string | null;
  configCompliance: string | null;
  waiverId: string | null;
}

const STATUS: Record<string, { tone: BadgeTone; label: string }> = {
  pass: { tone: "green", label: "Pass" },
  fail: { tone: "red", label: "Fail" },
  unknown: { tone: "gray", label: "Unknown" },
  waived: { tone: "violet", label: "Waived" },
  "not-required": { tone: "gray", label: "Not required" },
};

const CONFIG: Record<string, { tone: BadgeTone; label: string }> = {
  agree: { tone: "green", label: "agrees" },
  disagree: { tone: "amber", label: "disagrees" },
  "not-comparable": { tone: "gray", label: "not comparable" },
  "no-data": { tone: "gray", label: "no data" },
  "rule-not-deployed": { tone: "gray", label: "rule not deployed" },
};

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { tone: "gray" as const, label: status };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function ControlMatrix({
  results,
  controls,
  proposeWaiverHref,
}: {
  results: ControlResultRow[];
  controls: ControlMeta[];
  /** Shown on failing required controls to roles that may propose a waiver; "&control=<id>" is appended. */
  proposeWaiverHref?: string;
}) {
  if (results.length === 0) {
    return (
      <Card title="Controls">
        <p className="text-sm text-slate-500">This bucket has not been evaluated yet.</p>
      </Card>
    );
  }
  const byId = new Map(results.map((r) => [r.controlId, r]));
  const ordered = controls
    .map((c) => ({ control: c, result: byId.get(c.id) }))
    .filter((x): x is { control: ControlMeta; result: ControlResultRow } => x.result !== undefined)
    .sort((a, b) => Number(b.result.required) - Number(a.result.required));
  return (
    <Card
      title="Controls"
      description="Required controls come from the bucket's classification level. Evidence is what each control read."
      className="@container"
    >
      {/* Narrower than 48rem, each control is a card: its cells stacked, each labelled (the header row is hidden). */}
      <table className={`min-w-full text-sm ${card}`} data-testid="control-matrix">
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500 @max-3xl:hidden">
          <tr>
            <th className="py-2 pr-3">Control</th>
            <th className="py-2 pr-3">Required</th>
            <th className="py-2 pr-3">Status</th>
            <th className="py-2 pr-3">Why</th>
            <th className="py-2 pr-3">AWS Config</th>
            <th className="py-2">Security Hub</th>
          </tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${card}`}>
          {ordered.map(({ control, result }) => (
            <tr
              key={control.id}
              className={`align-top ${card} @max-3xl:py-2`}
              data-control={control.id}
              data-status={result.status}
              data-required={String(result.required)}
            >
              <td className={`py-2.5 pr-3 ${card} @max-3xl:py-1`}>
                <div className="font-medium text-slate-900">{control.title}</div>
                <div className="font-mono text-xs text-slate-500">{control.id}</div>
              </td>
              <td className={`py-2.5 pr-3 text-xs ${card} @max-3xl:py-1`}>
                {result.required ? (
                  <span className="font-semibold text-slate-800">Required</span>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
              <td className={`py-2.5 pr-3 ${card} @max-3xl:py-1`}>
                <StatusBadge status={result.status} />
                {result.status === "not-required" ? (
                  <div className="mt-1 text-xs text-slate-500">observed: {result.observed}</div>
                ) : null}
                {proposeWaiverHref && result.required && result.status === "fail" ? (
                  <a
                    href={`${proposeWaiverHref}&control=${control.id}`}
                    className="mt-1 block whitespace-nowrap text-xs font-medium text-indigo-700 hover:underline"
                  >
                    Propose waiver
                  </a>
                ) : null}
              </td>
              <td className={`max-w-md py-2.5 pr-3 text-xs text-slate-600 ${card} @max-3xl:max-w-none @max-3xl:py-1`}>
                {result.reason}
                {result.status === "fail" ? (
                  <div className="mt-1 text-slate-500">
                    <span className="font-semibold">Fix:</span> {control.fix}
                  </div>
                ) : null}
                <details className="mt-1">
                  <summary className="cursor-pointer text-indigo-700">Evidence</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-[11px] text-slate-700">
                    {JSON.stringify(result.evidence, null, 2)}
                  </pre>
                </details>
              </td>
              <td className={`py-2.5 pr-3 text-xs ${card} @max-3xl:py-1`}>
                <CardLabel>AWS Config</CardLabel>
                {control.configRuleIdentifier ? (
                  <>
                    {result.configVerdict ? (
                      <Badge tone={CONFIG[result.configVerdict]?.tone ?? "gray"}>
                        {CONFIG[result.configVerdict]?.label ?? result.configVerdict}
                      </Badge>
                    ) : null}
                    {result.configCompliance ? (
                      <div className="mt-1 text-slate-500">{result.configCompliance}</div>
                    ) : null}
                    <div className="mt-1 break-all font-mono text-[11px] text-slate-500">
                      {control.configRuleIdentifier}
                    </div>
                    {control.configRuleBasis ? (
                      <div
                        className="mt-1 max-w-[16rem] text-[11px] text-slate-600"
                        data-testid={`config-basis-${control.id}`}
                      >
                        {result.configVerdict === "not-comparable" ||
                        result.configVerdict === "no-data" ||
                        result.configVerdict === "rule-not-deployed"
                          ? ""
                          : "Compared on the rule's own terms: "}
                        {control.configRuleBasis}.
                      </div>
                    ) : null}
                  </>
                ) : (
                  <span className="text-slate-500">no managed rule</span>
                )}
              </td>
              <td className={`py-2.5 font-mono text-xs text-slate-500 ${card} @max-3xl:py-1`}>
                <CardLabel>Security Hub</CardLabel>
                {control.securityHubControlId ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

// Card mode (narrow): the table's parts become blocks.
const card = "@max-3xl:block";

/** A cell's header, shown inside the cell only in card mode, where the header row is hidden. */
function CardLabel({ children }: { children: React.ReactNode }) {
  return <span className="mr-2 font-sans font-semibold text-slate-500 @3xl:hidden">{children}</span>;
}
