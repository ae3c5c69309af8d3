import "server-only";
/**
 * Third parties: every principal outside the organisation that a bucket's policy or ACL, or a bucket's customer
 * managed key, grants anything — as the latest evaluation stored it (bucket_external_access, from
 * lib/domain/access/effective-access.ts, the same verdicts as the bucket page's card and the bucket list's "Reachable
 * from outside the organisation"), with when Custody first saw it and the vendor name an admin gave its account.
 */
import { startCsvStream } from "@/lib/export/csv";
import type { BucketFilters } from "@/lib/schemas/bucket-query";
import type { ThirdPartiesQuery } from "@/lib/schemas/third-parties-query";
import { bucketWhere } from "@/lib/server/dal/buckets";
import type { NameVendorInput } from "@/lib/schemas/known-vendor";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";
import { AppError } from "@/lib/errors";

export interface ThirdPartyBucket {
  bucketId: number;
  bucketName: string;
  accountId: string;
  /** effective | blocked-by-key | unknown; null: the bucket grants no read (or no write). */
  read: string | null;
  write: string | null;
  keyOnly: boolean;
  reason: string;
}

export interface ThirdParty {
  principal: string;
  kind: string;
  vendorName: string | null;
  firstSeenAt: Date | null;
  buckets: ThirdPartyBucket[];
  effectiveRead: number;
  effectiveWrite: number;
  blockedByKey: number;
  unknown: number;
}

type Row = {
  principal: string;
  kind: string;
  vendor: string | null;
  first_seen_at: Date | null;
  bucket_id: number;
  bucket_name: string;
  account_id: string;
  read: string | null;
  write: string | null;
  key_only: boolean;
  reason: string;
};

/**
 * One row per outsider and live bucket (of the scope: the bucket list's where-clause, so the coverage page's counts
 * agree), outsiders in order of principal. Outsiders are few; the join is indexed.
 */
async function thirdPartyRows(scope: BucketFilters = {}): Promise<Row[]> {
  return db().$queryRaw<Row[]>`
    SELECT e.principal, e.kind, v.name AS vendor, p.first_seen_at, b.id AS bucket_id, b.name AS bucket_name,
           b.account_id, e.read, e.write, e.key_only, e.reason
      FROM bucket_external_access e
      JOIN bucket b ON b.id = e.bucket_id
      LEFT JOIN external_principal p ON p.principal = e.principal
      LEFT JOIN known_vendor v ON v.account_id = e.principal
     WHERE ${bucketWhere(scope)}
     ORDER BY e.principal, b.name, b.account_id`;
}

export async function listThirdParties(
  actor: Actor | null,
  scope: Pick<ThirdPartiesQuery, "account" | "ou" | "owner"> = {},
): Promise<ThirdParty[]> {
  authorize(actor, "third-parties:read");
  const parties = new Map<string, ThirdParty>();
  for (const r of await thirdPartyRows({ account: scope.account, ou: scope.ou, owner: scope.owner })) {
    let p = parties.get(r.principal);
    if (!p) {
      p = {
        principal: r.principal,
        kind: r.kind,
        vendorName: r.vendor,
        firstSeenAt: r.first_seen_at,
        buckets: [],
        effectiveRead: 0,
        effectiveWrite: 0,
        blockedByKey: 0,
        unknown: 0,
      };
      parties.set(r.principal, p);
    }
    p.buckets.push({
      bucketId: r.bucket_id,
      bucketName: r.bucket_name,
      accountId: r.account_id,
      read: r.read,
      write: r.write,
      keyOnly: r.key_only,
      reason: r.reason,
    });
    if (r.read === "effective") p.effectiveRead++;
    if (r.write === "effective") p.effectiveWrite++;
    if (r.read === "blocked-by-key") p.blockedByKey++;
    if (r.read === "unknown" || r.write === "unknown") p.unknown++;
  }
  return [...parties.values()];
}

const CSV_COLUMNS = [
  "principal",
  "kind",
  "vendor",
  "first_seen_at",
  "bucket_account_id",
  "bucket",
  "read",
  "write",
  "key_only",
  "reason",
];

/** The page's rows as CSV, one line per outsider and bucket (lib/export/csv.ts: formula cells neutralised). */
export async function streamThirdPartiesCsv(actor: Actor | null): Promise<ReadableStream<Uint8Array>> {
  authorize(actor, "third-parties:read");
  const rows = await thirdPartyRows();
  async function* pages() {
    yield rows;
  }
  return startCsvStream(CSV_COLUMNS, pages(), (page) =>
    page.map((r) => [
      r.principal,
      r.kind,
      r.vendor ?? "unknown",
      r.first_seen_at,
      r.account_id,
      r.bucket_name,
      r.read ?? "",
      r.write ?? "",
      r.key_only,
      r.reason,
    ]),
  );
}

/**
 * Names an account outside the organisation as a known vendor (or renames it). Refused for an account of the
 * organisation: it is no third party.
 */
export async function nameVendor(actor: Actor | null, input: NameVendorInput) {
  authorize(actor, "third-parties:name");
  const client = db();
  if (await client.account.findUnique({ where: { id: input.accountId }, select: { id: true } })) {
    throw new AppError("invalid_input", `account ${input.accountId} belongs to the organisation: it is no third party`);
  }
  const previous = await client.knownVendor.findUnique({ where: { accountId: input.accountId } });
  const namedAt = new Date();
  // The name, and its line in the append-only history an evidence bundle names vendors from as of its snapshot.
  await client.$transaction([
    client.knownVendor.upsert({
      where: { accountId: input.accountId },
      create: { accountId: input.accountId, name: input.name, namedBy: actor.email, namedAt },
      update: { name: input.name, namedBy: actor.email, namedAt },
    }),
    client.knownVendorName.create({
      data: { accountId: input.accountId, name: input.name, namedBy: actor.email, namedAt },
    }),
  ]);
  return { accountId: input.accountId, name: input.name, previousName: previous?.name ?? null };
}
