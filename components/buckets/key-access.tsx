import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { AccessVerdict, BucketKeyAccess } from "@/lib/domain/access/effective-access";
import type { DecrypterScope } from "@/lib/domain/kms/analyze-key-policy";

const REACH: Record<AccessVerdict["reach"], { label: string; tone: BadgeTone }> = {
  effective: { label: "Effective", tone: "red" },
  "blocked-by-key": { label: "Granted by the bucket, blocked by the key", tone: "amber" },
  unknown: { label: "Unknown", tone: "gray" },
};

const SCOPE: Record<DecrypterScope, { label: string; tone: BadgeTone }> = {
  everyone: { label: "Everyone", tone: "red" },
  "key-account": { label: "Key's account", tone: "gray" },
  "organization-account": { label: "Your organisation", tone: "green" },
  organization: { label: "Your organisation", tone: "green" },
  "outside-organization": { label: "Outside the organisation", tone: "red" },
  service: { label: "AWS service", tone: "blue" },
  conditional: { label: "Conditional", tone: "amber" },
};

function Unknown({ reason, testId }: { reason: string; testId: string }) {
  return (
    <p data-testid={testId} className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
      <span className="font-semibold">Unknown</span> — {reason}
    </p>
  );
}

function Verdict({ verdict }: { verdict: AccessVerdict | null }) {
  if (!verdict) return <span className="text-slate-400">—</span>;
  const r = REACH[verdict.reach];
  return (
    <div data-reach={verdict.reach}>
      <Badge tone={r.tone}>{r.label}</Badge>
      <p className="mt-1 text-xs text-slate-500">{verdict.reason}</p>
    </div>
  );
}

function KeySection({ data }: { data: BucketKeyAccess }) {
  const { choice, key } = data;
  if (!choice)
    return <Unknown reason={`default encryption could not be read: ${data.encryptionUnknown}`} testId="key-unknown" />;
  if (choice.kind === "none") {
    return (
      <p className="text-sm text-slate-600">
        No KMS key:{" "}
        {choice.algorithms.length ? `default encryption is ${choice.algorithms.join(", ")}` : "no default encryption"},
        so S3 holds and rotates the keys. Anyone the bucket lets in can read.
      </p>
    );
  }
  if (choice.kind === "aws-managed" || !key) {
    return choice.kind === "aws-managed" ? (
      <p className="text-sm text-slate-600">
        The AWS managed key <span className="font-mono">alias/aws/s3</span> of this account: AWS rotates it, and no
        other account can decrypt with it.
      </p>
    ) : (
      <Unknown reason={`key ${choice.keyRef} was not loaded`} testId="key-unknown" />
    );
  }
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm @2xl:grid-cols-[max-content_1fr]" data-testid="key-facts">
      <dt className="font-medium text-slate-800">Key</dt>
      <dd className="min-w-0">
        <span className="font-mono text-xs break-all text-slate-700">{key.arn ?? key.keyRef}</span>
        {key.aliases.length ? (
          <span className="ml-2 font-mono text-xs text-slate-500">{key.aliases.join(", ")}</span>
        ) : null}
      </dd>
      <dt className="font-medium text-slate-800">Owner</dt>
      <dd data-testid="key-owner">
        <span className="mr-2 font-mono text-xs">{key.ownerAccountId}</span>
        {key.ownerInOrganization ? (
          <Badge tone="green">Your organisation</Badge>
        ) : (
          <Badge tone="red">Third party</Badge>
        )}
      </dd>
      <dt className="font-medium text-slate-800">Rotation</dt>
      <dd data-testid="key-rotation">
        {key.awsManaged ? (
          <Badge tone="green">AWS managed: rotated by AWS</Badge>
        ) : key.rotation.ok ? (
          key.rotation.value.enabled ? (
            <Badge tone="green">
              On{key.rotation.value.periodDays ? ` (every ${key.rotation.value.periodDays} days)` : ""}
            </Badge>
          ) : (
            <Badge tone="red">Off</Badge>
          )
        ) : (
          <span className="text-slate-600">Unknown — {key.rotation.reason}</span>
        )}
      </dd>
      <dt className="font-medium text-slate-800">Who can decrypt</dt>
      <dd data-testid="key-decrypters">
        {key.policy.error !== null ? (
          <span className="text-slate-600">Unknown — {key.policy.error}</span>
        ) : key.policy.grants.length === 0 ? (
          <span className="text-slate-600">Nobody is granted kms:Decrypt by the key policy.</span>
        ) : (
          <ul className="space-y-1.5">
            {key.policy.grants.map((g, i) => (
              <li key={`${g.statementIndex}-${i}`} className="flex flex-wrap items-center gap-2">
                <Badge tone={SCOPE[g.scope].tone}>{SCOPE[g.scope].label}</Badge>
                <span className="text-slate-700">{g.principal}</span>
                {g.viaServices.length ? (
                  <span className="text-xs text-slate-500">only through {g.viaServices.join(", ")}</span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt className="font-medium text-slate-800">Read by</dt>
      <dd className="text-xs text-slate-500">
        {key.readByAccountId
          ? `account ${key.readByAccountId}${key.readByAccountId === key.ownerAccountId ? " (the key's owner)" : ""}`
          : "no sync yet"}
        {key.readAt ? ` at ${key.readAt.replace("T", " ").slice(0, 16)} UTC` : ""}
      </dd>
    </dl>
  );
}

export function KeyAccess({ data }: { data: BucketKeyAccess }) {
  const { access } = data;
  return (
    <Card
      title="Encryption key and access from outside the organisation"
      description="Reading an SSE-KMS object needs the bucket's grant AND kms:Decrypt on its key; writing needs the bucket's grant only (a writer names its own encryption)."
    >
      <div className="space-y-5" data-testid="key-access">
        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Key</h3>
          <KeySection data={data} />
        </section>
        <section data-testid="effective-access">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
            Effective access from outside
          </h3>
          {access.unknowns.length ? (
            <div className="mb-3">
              <Unknown reason={access.unknowns.join("; ")} testId="effective-access-unknown" />
            </div>
          ) : null}
          {access.principals.length === 0 ? (
            <p className="text-sm text-slate-600">
              The bucket policy and ACL grant no account outside the organisation.
            </p>
          ) : (
            <table className="min-w-full text-sm" data-testid="effective-access-table">
              <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-1.5 pr-3">Who</th>
                  <th className="py-1.5 pr-3">Read</th>
                  <th className="py-1.5">Write</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {access.principals.map((p) => (
                  <tr key={p.principal} className="align-top" data-principal={p.principal}>
                    <td className="py-2 pr-3">
                      <span
                        className={`font-mono text-xs text-slate-900 ${p.kind === "canonical-user" ? "break-all" : "whitespace-nowrap"}`}
                      >
                        {p.principal}
                      </span>
                      <p className="text-xs text-slate-500">
                        {p.kind === "account"
                          ? "account"
                          : p.kind === "organization"
                            ? "organisation"
                            : p.kind === "canonical-user"
                              ? "canonical user (ACL)"
                              : "anyone"}
                      </p>
                    </td>
                    <td className="min-w-48 py-2 pr-3">
                      <Verdict verdict={p.read} />
                    </td>
                    <td className="min-w-48 py-2">
                      <Verdict verdict={p.write} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </Card>
  );
}
