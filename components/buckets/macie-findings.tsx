import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";

export interface MacieSectionData {
  /** Null when the viewer's role may not see findings (findings:read): the section says so instead. */
  findings: {
    findings: {
      id: string;
      type: string;
      category: string;
      severity: string;
      count: number;
      sensitiveDataCategories: string[];
      createdAt: Date;
      archived: boolean;
    }[];
    total: number;
  } | null;
  profile: {
    sensitivityScore: number | null;
    classifiableObjectCount: number;
    classifiableSizeInBytes: number;
    lastAutomatedDiscoveryTime: Date | null;
    monitoringStatus: string | null;
  } | null;
}

const SEVERITY_TONE = { High: "red", Medium: "amber", Low: "gray" } as const;

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY_TONE[severity as keyof typeof SEVERITY_TONE] ?? "gray"}>{severity}</Badge>;
}

function bytes(n: number) {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

export function MacieFindings({
  data,
  findingsHref,
  now,
  roleLabel,
}: {
  data: MacieSectionData;
  findingsHref: string | null;
  now: Date;
  roleLabel: string;
}) {
  const p = data.profile;
  const found = data.findings;
  return (
    <Card
      title="Sensitive data (Amazon Macie)"
      description="Macie's findings for this bucket and its automated sensitive data discovery profile, as last collected."
      actions={
        findingsHref && found && found.total > 0 ? (
          <Link href={findingsHref} className="text-xs font-medium text-indigo-700 hover:underline">
            All {found.total} findings →
          </Link>
        ) : null
      }
    >
      <div data-testid="macie-section" className="space-y-4">
        <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-4">
          <div>
            <dt className="text-xs text-slate-500">Sensitivity score</dt>
            <dd className="font-semibold text-slate-900">
              {p?.sensitivityScore ?? <span className="font-normal text-slate-500">not scored</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Monitoring</dt>
            <dd className="text-slate-800">
              {p?.monitoringStatus ?? <span className="text-slate-500">no profile</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Classifiable objects</dt>
            <dd className="text-slate-800">
              {p ? `${p.classifiableObjectCount.toLocaleString("en")} · ${bytes(p.classifiableSizeInBytes)}` : "—"}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Last discovery run</dt>
            <dd className="text-slate-800">
              <RelativeTime date={p?.lastAutomatedDiscoveryTime ?? null} now={now} />
            </dd>
          </div>
        </dl>
        {found === null ? (
          <p className="text-sm text-slate-500" data-testid="findings-not-permitted">
            Your role ({roleLabel}) cannot see Macie findings; the profile above is what this bucket page shows of
            Macie.
          </p>
        ) : found.findings.length === 0 ? (
          <p className="text-sm text-slate-500">Macie reported no findings for this bucket.</p>
        ) : (
          <table className="min-w-full text-sm" data-testid="bucket-findings">
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1.5 pr-3">Severity</th>
                <th className="py-1.5 pr-3">Type</th>
                <th className="py-1.5 pr-3">Data</th>
                <th className="py-1.5">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {found.findings.map((f) => (
                <tr key={f.id} className={f.archived ? "text-slate-500" : ""}>
                  <td className="py-1.5 pr-3">
                    <SeverityBadge severity={f.severity} />
                    {f.archived ? <span className="ml-1 text-xs">archived</span> : null}
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{f.type}</td>
                  <td className="py-1.5 pr-3 text-xs">
                    {f.sensitiveDataCategories.join(", ") || (f.category === "POLICY" ? "policy finding" : "—")}
                  </td>
                  <td className="py-1.5 text-xs text-slate-500">
                    <RelativeTime date={f.createdAt} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  );
}
