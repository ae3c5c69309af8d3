import type { Metadata } from "next";
import Link from "next/link";
import { DataTable, type Column } from "@/components/list-page/data-table";
import { QueryError } from "@/components/list-page/query-error";
import { NameVendorForm } from "@/components/third-parties/name-vendor-form";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listPaging } from "@/lib/pagination";
import { ThirdPartiesQuerySchema } from "@/lib/schemas/third-parties-query";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { listThirdParties, type ThirdParty, type ThirdPartyBucket } from "@/lib/server/dal/third-parties";
import { can } from "@/lib/server/permissions";
import { nameVendorAction } from "./actions";

export const metadata: Metadata = { title: "Third parties" };

const REACH: Record<string, { label: string; tone: BadgeTone }> = {
  effective: { label: "effective", tone: "red" },
  "blocked-by-key": { label: "blocked by the key", tone: "amber" },
  unknown: { label: "unknown", tone: "gray" },
};

function Access({ bucket }: { bucket: ThirdPartyBucket }) {
  if (bucket.keyOnly) return <Badge tone="violet">key decrypt only</Badge>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {bucket.read ? (
        <Badge tone={REACH[bucket.read]?.tone ?? "gray"}>read: {REACH[bucket.read]?.label ?? bucket.read}</Badge>
      ) : null}
      {bucket.write ? (
        <Badge tone={REACH[bucket.write]?.tone ?? "gray"}>write: {REACH[bucket.write]?.label ?? bucket.write}</Badge>
      ) : null}
    </span>
  );
}

const KIND: Record<string, string> = {
  account: "AWS account",
  organization: "Another organisation",
  "canonical-user": "Canonical user (ACL)",
  everyone: "Anyone (public)",
};

const COLUMNS: Column<ThirdParty>[] = [
  {
    header: "Outsider",
    primary: true,
    className: "align-top",
    cell: (p) => (
      <div>
        <span className="font-mono text-xs break-all text-slate-900">{p.principal}</span>
        <div className="mt-1 flex flex-wrap items-center gap-1.5">
          {p.vendorName ? (
            <Badge tone="blue">{p.vendorName}</Badge>
          ) : p.kind === "account" ? (
            <Badge tone="red">unknown</Badge>
          ) : null}
          <span className="text-xs text-slate-500">{KIND[p.kind] ?? p.kind}</span>
        </div>
      </div>
    ),
  },
  {
    header: "Reaches",
    className: "align-top whitespace-nowrap",
    showFrom: "xl",
    cell: (p) => (
      <div className="flex flex-wrap gap-1">
        {p.effectiveRead ? <Badge tone="red">{p.effectiveRead} effective read</Badge> : null}
        {p.effectiveWrite ? <Badge tone="red">{p.effectiveWrite} effective write</Badge> : null}
        {p.blockedByKey ? <Badge tone="amber">{p.blockedByKey} blocked by the key</Badge> : null}
        {p.unknown ? <Badge tone="gray">{p.unknown} unknown</Badge> : null}
        {p.keys.length ? (
          <Badge tone="violet">
            {p.keys.length} trail {p.keys.length === 1 ? "key" : "keys"}: decrypt
          </Badge>
        ) : null}
        {!p.effectiveRead && !p.effectiveWrite && !p.blockedByKey && !p.unknown && !p.keys.length ? (
          <Badge tone="violet">key grants only</Badge>
        ) : null}
      </div>
    ),
  },
  {
    header: "Buckets and keys",
    className: "align-top",
    cell: (p) => (
      <ul className="space-y-1.5">
        {p.buckets.map((b) => (
          <li key={b.bucketId} className="flex flex-wrap items-center gap-2" title={b.reason}>
            <Link
              href={`/buckets/${b.bucketId}`}
              className="font-mono text-xs break-all text-indigo-700 hover:underline"
            >
              {b.bucketName}
            </Link>
            <Access bucket={b} />
          </li>
        ))}
        {p.keys.map((k) => (
          <li key={k.keyArn} className="flex flex-wrap items-center gap-2" title={k.reason} data-trail-key={k.keyArn}>
            <Link
              href={`/account-posture/${k.ownerAccountId}`}
              className="font-mono text-xs break-all text-indigo-700 hover:underline"
            >
              {k.aliases[0] ?? k.keyArn}
            </Link>
            <Badge tone="violet">decrypts the logs of {k.trails.map((t) => `trail ${t}`).join(", ")}</Badge>
          </li>
        ))}
      </ul>
    ),
  },
  {
    header: "First seen (UTC)",
    showFrom: "3xl",
    className: "align-top whitespace-nowrap font-mono text-xs text-slate-600",
    cell: (p) => (p.firstSeenAt ? p.firstSeenAt.toISOString().replace("T", " ").slice(0, 16) : "—"),
  },
];

export default async function ThirdPartiesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("third-parties:read");
  const parsed = ThirdPartiesQuerySchema.safeParse(await searchParams);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Third parties" />
        <QueryError issues={parsed.error.issues} resetHref="/third-parties" resetLabel="Show the whole register" />
      </>
    );
  }
  const scope = parsed.data;
  const scopeLabel = scope.account
    ? `buckets of account ${scope.account}`
    : scope.ou
      ? `buckets of the accounts in OU ${scope.ou}`
      : scope.owner
        ? `buckets owned by ${scope.owner}`
        : null;
  const parties = await listThirdParties(actor, scope);
  const paging = listPaging({
    path: "/third-parties",
    state: { account: scope.account, ou: scope.ou, owner: scope.owner },
    noun: "outsiders",
    page: 1,
    pageSize: Math.max(parties.length, 1),
    total: parties.length,
    rows: parties,
  });
  const unknownAccounts = parties.filter((p) => p.kind === "account" && !p.vendorName).length;
  return (
    <>
      <PageHeader
        title="Third parties"
        description="Every principal outside the organisation that a bucket policy, a bucket ACL, a bucket's KMS key or a CloudTrail trail's KMS key grants anything, as the latest evaluation found. Reading an SSE-KMS object needs both the bucket's grant and the key's."
        actions={
          <a
            href="/api/third-parties/export"
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
        }
      />
      <div className="space-y-6">
        <p className="text-sm text-slate-600" data-testid="third-parties-summary">
          {parties.length} {parties.length === 1 ? "outsider" : "outsiders"}, {unknownAccounts} unnamed{" "}
          {unknownAccounts === 1 ? "account" : "accounts"}
          {scopeLabel ? (
            <>
              {" "}
              on <span data-testid="third-parties-scope">{scopeLabel}</span> ·{" "}
              <Link href="/third-parties" className="text-indigo-700 hover:underline">
                whole register
              </Link>
            </>
          ) : null}
          .
        </p>
        <DataTable
          columns={COLUMNS}
          rows={parties}
          rowKey={(p) => p.principal}
          rowAttributes={(p) => ({ "data-principal": p.principal, "data-vendor": p.vendorName ?? "unknown" })}
          bodyTestId="third-parties-rows"
          empty="No bucket or key grants anything to a principal outside the organisation."
          paging={paging}
        />
        {can(actor, "third-parties:name") ? (
          <Card
            title="Name a known vendor"
            description="An outside account you recognise — a backup provider, an auditor — gets its name here; every other outsider stays marked unknown."
          >
            <NameVendorForm
              action={nameVendorAction}
              accountIds={parties.filter((p) => p.kind === "account").map((p) => p.principal)}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}
