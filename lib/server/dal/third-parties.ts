import "server-only";
/**
 * Third parties: every principal outside the organisation that a bucket's policy or ACL, or a bucket's customer
 * managed key, grants anything — as the latest evaluation stored it (bucket_external_access, from
 * lib/domain/access/effective-access.ts, the same verdicts as the bucket page's card and the bucket list's "Reachable
 * from outside the organisation"), with when Custody first saw it and the vendor name an admin gave its account.
 * Keys no bucket names still hold data: a CloudTrail trail's key decrypts the organisation's audit logs, so an
 * outsider its key policy lets decrypt is listed too (analysed here from the stored key policy, with the same engine).
 */
import { analyzeKeyPolicy } from "@/lib/domain/kms/analyze-key-policy";
import { trustAndOrganization } from "@/lib/evaluation/evaluation-context";
import { startCsvStream, type CsvRows } from "@/lib/export/csv";
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

/** A trail's KMS key whose key policy lets the outsider decrypt (the trail's logs). */
export interface ThirdPartyKey {
  keyArn: string;
  aliases: string[];
  ownerAccountId: string;
  /** The trails that encrypt their logs with it. */
  trails: string[];
  reason: string;
}

export interface ThirdParty {
  principal: string;
  kind: string;
  vendorName: string | null;
  firstSeenAt: Date | null;
  buckets: ThirdPartyBucket[];
  keys: ThirdPartyKey[];
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

type TrailKeyGrant = ThirdPartyKey & { principal: string; kind: string; vendor: string | null };

/**
 * Outsiders that a trail's key lets decrypt, from each key's stored read (its owner's own read first: only the owner
 * can read the policy). A key never read, or whose policy could not be read, names no one: nothing is claimed.
 */
async function trailKeyGrants(): Promise<TrailKeyGrant[]> {
  const client = db();
  const [keys, { organization }] = await Promise.all([
    client.$queryRaw<
      {
        key_id: string;
        trails: string[];
        arn: string | null;
        owner_account_id: string | null;
        aliases: string[] | null;
        policy: { ok: boolean; value?: unknown };
      }[]
    >`
      WITH tk AS (SELECT kms_key_id, array_agg(DISTINCT name ORDER BY name) AS trails
                    FROM trail WHERE kms_key_id IS NOT NULL GROUP BY kms_key_id)
      SELECT DISTINCT ON (tk.kms_key_id) tk.kms_key_id AS key_id, tk.trails, k.arn, k.owner_account_id, k.aliases,
             k.policy
        FROM tk JOIN kms_key k ON k.key_ref = tk.kms_key_id OR k.arn = tk.kms_key_id
       ORDER BY tk.kms_key_id, (k.read_by_account_id = k.owner_account_id) DESC, k.read_at DESC`,
    trustAndOrganization(client),
  ]);
  const inOrg = new Set(organization.accountIds);
  const out: TrailKeyGrant[] = [];
  for (const k of keys) {
    if (!k.policy.ok || !k.owner_account_id) continue;
    const analysis = analyzeKeyPolicy(k.policy.value, {
      keyAccountId: k.owner_account_id,
      organizationId: organization.organizationId,
      organizationAccountIds: inOrg,
    });
    if (analysis.error !== null) continue;
    for (const g of analysis.grants) {
      const principal = g.scope === "everyone" ? "everyone" : g.scope === "outside-organization" ? g.accountId : null;
      if (!principal) continue;
      const where = g.sid ? `statement ${g.statementIndex} (Sid "${g.sid}")` : `statement ${g.statementIndex}`;
      out.push({
        principal,
        kind: principal === "everyone" ? "everyone" : "account",
        vendor: null,
        keyArn: k.arn ?? k.key_id,
        aliases: k.aliases ?? [],
        ownerAccountId: k.owner_account_id,
        trails: k.trails,
        reason: `the key policy lets ${g.principal} kms:Decrypt (${where}); the key encrypts the logs of ${k.trails
          .map((t) => `trail ${t}`)
          .join(", ")}`,
      });
    }
  }
  if (out.length) {
    const vendors = await client.knownVendor.findMany({ where: { accountId: { in: out.map((g) => g.principal) } } });
    for (const g of out) g.vendor = vendors.find((v) => v.accountId === g.principal)?.name ?? null;
  }
  return out;
}

const NO_COUNTS = { effectiveRead: 0, effectiveWrite: 0, blockedByKey: 0, unknown: 0 };

type Scope = Pick<ThirdPartiesQuery, "account" | "ou" | "owner">;

/**
 * The trail keys of a scope: a key belongs to the account that owns it, so an account or OU scope keeps the keys its
 * accounts own; an owner scope (a bucket tag) has no keys.
 */
async function trailKeyGrantsIn(scope: Scope): Promise<TrailKeyGrant[]> {
  if (scope.owner) return [];
  const grants = await trailKeyGrants();
  if (scope.account) return grants.filter((g) => g.ownerAccountId === scope.account);
  if (scope.ou) {
    const inOu = await db().account.findMany({ where: { ouPath: scope.ou }, select: { id: true } });
    const ids = new Set(inOu.map((a) => a.id));
    return grants.filter((g) => ids.has(g.ownerAccountId));
  }
  return grants;
}

/**
 * How many outsiders the scope's register lists (the Third parties page's row count for the same scope): the distinct
 * outsiders of its buckets and of its accounts' trail keys, counted without reading every bucket row.
 */
export async function countThirdParties(actor: Actor | null, scope: Scope = {}): Promise<number> {
  authorize(actor, "third-parties:read");
  const [rows, keyGrants] = await Promise.all([
    db().$queryRaw<{ principal: string }[]>`
      SELECT DISTINCT e.principal
        FROM bucket_external_access e JOIN bucket b ON b.id = e.bucket_id
       WHERE ${bucketWhere({ account: scope.account, ou: scope.ou, owner: scope.owner })}`,
    trailKeyGrantsIn(scope),
  ]);
  return new Set([...rows.map((r) => r.principal), ...keyGrants.map((g) => g.principal)]).size;
}

export async function listThirdParties(actor: Actor | null, scope: Scope = {}): Promise<ThirdParty[]> {
  authorize(actor, "third-parties:read");
  const parties = new Map<string, ThirdParty>();
  /** The outsider's entry, made on first sight (from a bucket row, or from a trail key when no bucket names it). */
  const partyOf = (principal: string, kind: string, vendorName: string | null, firstSeenAt: Date | null) => {
    let p = parties.get(principal);
    if (!p) {
      p = { principal, kind, vendorName, firstSeenAt, buckets: [], keys: [], ...NO_COUNTS };
      parties.set(principal, p);
    }
    return p;
  };
  const [rows, keyGrants] = await Promise.all([
    thirdPartyRows({ account: scope.account, ou: scope.ou, owner: scope.owner }),
    trailKeyGrantsIn(scope),
  ]);
  for (const r of rows) {
    const p = partyOf(r.principal, r.kind, r.vendor, r.first_seen_at);
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
  for (const g of keyGrants) {
    const p = partyOf(g.principal, g.kind, g.vendor, null);
    const { principal: _p, kind: _k, vendor: _v, ...key } = g;
    p.keys.push(key);
  }
  return [...parties.values()].sort((a, b) => a.principal.localeCompare(b.principal));
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
  "trail_key",
];

/**
 * The page's rows as CSV, one line per outsider and bucket, then one per outsider and trail key (bucket columns
 * empty, key_only true; lib/export/csv.ts: formula cells neutralised).
 */
export async function streamThirdPartiesCsv(actor: Actor | null): Promise<ReadableStream<Uint8Array>> {
  authorize(actor, "third-parties:read");
  const [rows, keyGrants] = await Promise.all([thirdPartyRows(), trailKeyGrants()]);
  const lines: CsvRows = [
    ...rows.map((r) => [
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
      "",
    ]),
    ...keyGrants.map((g) => [
      g.principal,
      g.kind,
      g.vendor ?? "unknown",
      null,
      g.ownerAccountId,
      "",
      "",
      "",
      true,
      g.reason,
      g.keyArn,
    ]),
  ];
  async function* pages() {
    yield lines;
  }
  return startCsvStream(CSV_COLUMNS, pages());
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
