import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { AclAnalysis } from "@/lib/domain/policy/analyze-acl";
import type { AccessGrant, PolicyAnalysisOk } from "@/lib/domain/policy/analyze-policy";

type PolicyView =
  | { status: "analysed"; analysis: PolicyAnalysisOk; overriddenBy: string | null }
  | { status: "absent" }
  | { status: "unknown"; reason: string };
type AclView =
  | { status: "analysed"; analysis: AclAnalysis; aclsDisabled: boolean; overriddenBy: string | null }
  | { status: "absent" }
  | { status: "unknown"; reason: string };

/** A grant's explanation when Block Public Access overrides it: "→ public" becomes what actually happens. */
function overriddenWhy(why: string, overriddenBy: string): string {
  return `${why.replace(/ → public\.$/, "")} → would be public, but ${overriddenBy}: S3 ignores this grant, so it makes nothing public.`;
}

// 0-based, as lib/domain/policy numbers statements in its explanations (the control matrix shows the same numbers).
const statementLabel = (index: number, sid: string | null) =>
  sid ? `statement ${index} (Sid “${sid}”)` : `statement ${index}`;

function Unknown({ reason, testId }: { reason: string; testId: string }) {
  return (
    <p data-testid={testId} className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
      <span className="font-semibold">Unknown</span> — {reason}. Nothing about this channel is assumed safe.
    </p>
  );
}

function GrantTable({ grants, verb, testId }: { grants: AccessGrant[]; verb: "read" | "write"; testId: string }) {
  if (grants.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        The policy grants no one {verb} access (beyond what IAM policies in the owner account allow).
      </p>
    );
  }
  return (
    <table className="min-w-full text-sm" data-testid={testId}>
      <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-1.5 pr-3">Who</th>
          <th className="py-1.5 pr-3">Actions</th>
          <th className="py-1.5 pr-3">From</th>
          <th className="py-1.5">Limited by</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {grants.map((g, i) => (
          <tr
            key={`${g.statementIndex}-${g.principal}-${i}`}
            className="align-top"
            data-kind={g.kind}
            data-public={g.public}
          >
            <td className="py-2 pr-3">
              <span className="text-slate-900">{g.principal}</span>
              {g.public ? (
                <span className="ml-1.5">
                  <Badge tone="red">Public</Badge>
                </span>
              ) : null}
              {g.kind === "other-account" ? (
                <span className="ml-1.5">
                  <Badge tone="amber">Other account</Badge>
                </span>
              ) : null}
            </td>
            <td className="py-2 pr-3 font-mono text-xs text-slate-600">{g.actions.join(", ")}</td>
            <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">
              {statementLabel(g.statementIndex, g.sid)}
            </td>
            <td className="py-2 text-xs text-slate-500">{g.restrictedBy.length ? g.restrictedBy.join("; ") : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AccessAnalysis({ policy, acl }: { policy: PolicyView; acl: AclView }) {
  return (
    <Card
      title="Who can access this bucket"
      description="From the bucket policy and the bucket ACL as last read, analysed statement by statement. Block Public Access can still override these grants; the exposure verdict above accounts for it."
    >
      <div className="space-y-5" data-testid="access-analysis">
        <section data-testid="policy-analysis">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Bucket policy</h3>
          {policy.status === "unknown" ? (
            <Unknown reason={policy.reason} testId="policy-unknown" />
          ) : policy.status === "absent" ? (
            <p className="text-sm text-slate-600">
              No bucket policy: access comes only from IAM policies in the owner account and from the ACL below.
            </p>
          ) : (
            <div className="space-y-4">
              {policy.overriddenBy ? (
                <p
                  data-testid="policy-overridden"
                  className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950"
                >
                  <span className="font-semibold">Overridden:</span> {policy.overriddenBy}, so only AWS services and
                  principals of the owner account can use the public statements below — they do not make the bucket
                  public.
                </p>
              ) : null}
              <div className="flex flex-wrap gap-2 text-xs">
                {policy.analysis.allowsPublicRead ? (
                  <Badge tone={policy.overriddenBy ? "amber" : "red"}>
                    {policy.overriddenBy ? "Public read (overridden)" : "Public read"}
                  </Badge>
                ) : (
                  <Badge tone="green">No public read</Badge>
                )}
                {policy.analysis.allowsPublicWrite ? (
                  <Badge tone={policy.overriddenBy ? "amber" : "red"}>
                    {policy.overriddenBy ? "Public write (overridden)" : "Public write"}
                  </Badge>
                ) : (
                  <Badge tone="green">No public write</Badge>
                )}
                {policy.analysis.secureTransport.enforced ? (
                  <Badge tone="green">HTTPS enforced</Badge>
                ) : (
                  <Badge tone="amber">HTTP allowed</Badge>
                )}
              </div>
              <div>
                <h4 className="mb-1 text-sm font-semibold text-slate-800">Can read</h4>
                <GrantTable grants={policy.analysis.readers} verb="read" testId="policy-readers" />
              </div>
              <div>
                <h4 className="mb-1 text-sm font-semibold text-slate-800">Can write</h4>
                <GrantTable grants={policy.analysis.writers} verb="write" testId="policy-writers" />
              </div>
              {policy.analysis.crossAccountPrincipals.length > 0 ? (
                <div>
                  <h4 className="mb-1 text-sm font-semibold text-slate-800">Principals outside the owner account</h4>
                  <ul className="space-y-1 text-sm" data-testid="cross-account-principals">
                    {policy.analysis.crossAccountPrincipals.map((p, i) => (
                      <li key={`${p.principal}-${i}`} className="flex flex-wrap items-center gap-2">
                        {p.trusted ? <Badge tone="green">Trusted</Badge> : <Badge tone="red">Not trusted</Badge>}
                        <span className="font-mono text-xs text-slate-800">{p.accountId ?? p.principal}</span>
                        <span className="text-xs text-slate-500">
                          {[p.read ? "read" : null, p.write ? "write" : null].filter(Boolean).join(" + ") ||
                            "no S3 data access"}{" "}
                          · {statementLabel(p.statementIndex, p.sid)}
                          {p.note ? ` · ${p.note}` : ""}
                        </span>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <p className="text-xs text-slate-500">
                <span className="font-medium text-slate-700">HTTPS:</span> {policy.analysis.secureTransport.why}
              </p>
            </div>
          )}
        </section>

        <section data-testid="acl-analysis" className="border-t border-slate-100 pt-4">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Bucket ACL</h3>
          {acl.status === "unknown" ? (
            <Unknown reason={acl.reason} testId="acl-unknown" />
          ) : acl.status === "absent" ? (
            <p className="text-sm text-slate-600">No ACL was returned.</p>
          ) : acl.aclsDisabled ? (
            <p className="text-sm text-slate-600">
              ACLs are disabled (Object Ownership: bucket owner enforced): only the owner’s full control applies.
            </p>
          ) : (
            <ul className="space-y-1.5 text-sm" data-testid="acl-grants">
              {acl.analysis.grants.map((g, i) => {
                const overridden = g.public && acl.overriddenBy !== null;
                return (
                  <li
                    key={`${g.grantee}-${g.permission}-${i}`}
                    className="flex flex-wrap items-start gap-2"
                    data-public={g.public && !overridden}
                    data-overridden={overridden}
                  >
                    <Badge
                      tone={
                        overridden
                          ? "amber"
                          : g.public
                            ? "red"
                            : g.audience === "owner"
                              ? "gray"
                              : g.audience === "other-account"
                                ? "amber"
                                : "blue"
                      }
                    >
                      {g.permission}
                    </Badge>
                    <span className="min-w-0 flex-1 text-slate-700">
                      {overridden ? overriddenWhy(g.why, acl.overriddenBy!) : g.why}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
    </Card>
  );
}
