import "server-only";
/**
 * "Find anything" (the ⌘K search): buckets by part of their name, accounts by name or id, tag values and Macie
 * finding types, each group capped, each from an indexed read — the bucket name and tag trigram indexes (in the
 * "C" collation the queries compare in), the small account table, and macie_finding_region_count (a few rows per
 * region and type, kept by triggers) instead of 10,000,000 findings. Each result carries the page it opens.
 *
 * Who sees what: anyone who may read buckets sees bucket names, account names and ids and tag values on the bucket
 * list already; finding types only for a role that may read findings.
 */
import { withQuery } from "@/lib/list-query";
import type { SearchQuery } from "@/lib/schemas/search-query";
import { db } from "@/lib/server/db";
import { containsPattern } from "@/lib/server/sql/like-pattern";
import { authorize, can, type Actor } from "@/lib/server/permissions";

export const SEARCH_LIMITS = { buckets: 8, accounts: 5, tags: 5, findingTypes: 5 } as const;
/** Buckets whose tags are read to pick out matching values: bounds the work of a very common fragment. */
const TAG_CANDIDATE_BUCKETS = 500;

export interface SearchHit {
  /** What is shown. */
  label: string;
  /** A second line: the account, the tag key, how many. */
  detail: string;
  href: string;
}

export interface SearchResults {
  q: string;
  groups: { key: "buckets" | "accounts" | "tags" | "findingTypes"; label: string; hits: SearchHit[] }[];
}

export async function searchEverything(actor: Actor | null, { q }: SearchQuery): Promise<SearchResults> {
  authorize(actor, "buckets:read");
  const pattern = containsPattern(q);
  const startsWith = pattern.slice(1); // the escaped text, then "%"
  const client = db();
  const [buckets, accounts, tags, types] = await Promise.all([
    // Exact name first, then names starting with the text, then the rest by name.
    client.$queryRaw<{ id: number; name: string; account_id: string; account_name: string }[]>`
      SELECT b.id, b.name, b.account_id, a.name AS account_name
        FROM bucket_search bs JOIN bucket b ON b.id = bs.bucket_id JOIN account a ON a.id = b.account_id
       WHERE b.gone_at IS NULL AND bs.name ILIKE ${pattern} COLLATE "C"
       ORDER BY (lower(b.name) = lower(${q})) DESC, (b.name ILIKE ${startsWith} COLLATE "C") DESC, b.name, b.id
       LIMIT ${SEARCH_LIMITS.buckets}`,
    client.$queryRaw<{ id: string; name: string }[]>`
      SELECT id, name FROM account
       WHERE name ILIKE ${pattern} OR id LIKE ${pattern}
       ORDER BY name, id LIMIT ${SEARCH_LIMITS.accounts}`,
    // The trigram index on tags::text (bucket_search) finds the candidate buckets; their tags are then split into
    // pairs and only values containing the text are kept.
    client.$queryRaw<{ key: string; value: string; n: bigint }[]>`
      SELECT t.key, t.value, COUNT(*) AS n
        FROM (SELECT bs.tags FROM bucket_search bs JOIN bucket b ON b.id = bs.bucket_id
               WHERE b.gone_at IS NULL AND (bs.tags::text) ILIKE ${pattern} COLLATE "C"
               LIMIT ${TAG_CANDIDATE_BUCKETS}) c,
             jsonb_each_text(c.tags) t
       WHERE t.value ILIKE ${pattern} COLLATE "C"
       GROUP BY t.key, t.value
       ORDER BY n DESC, t.key, t.value
       LIMIT ${SEARCH_LIMITS.tags}`,
    can(actor, "findings:read")
      ? client.$queryRaw<{ type: string; n: bigint }[]>`
          SELECT type, SUM(n)::bigint AS n
            FROM (SELECT type, archived, n FROM macie_finding_region_count
                  UNION ALL SELECT type, archived, n FROM macie_finding_region_count_delta) c
           WHERE type ILIKE ${pattern} COLLATE "C" AND NOT archived
           GROUP BY type HAVING SUM(n) > 0 ORDER BY n DESC, type LIMIT ${SEARCH_LIMITS.findingTypes}`
      : Promise.resolve(null),
  ]);
  const groups: SearchResults["groups"] = [
    {
      key: "buckets",
      label: "Buckets",
      hits: buckets.map((b) => ({
        label: b.name,
        detail: `${b.account_name} (${b.account_id})`,
        href: `/buckets/${b.id}`,
      })),
    },
    {
      key: "accounts",
      label: "Accounts",
      hits: accounts.map((a) => ({ label: a.name, detail: a.id, href: withQuery("/buckets", { account: a.id }) })),
    },
    {
      key: "tags",
      label: "Tag values",
      hits: tags.map((t) => ({
        label: t.value,
        detail: `${t.key} · ${plural(Number(t.n), "bucket")}`,
        href: withQuery("/buckets", { tag: `${t.key}=${t.value}` }),
      })),
    },
  ];
  if (types) {
    groups.push({
      key: "findingTypes",
      label: "Finding types",
      hits: types.map((t) => ({
        label: t.type,
        detail: plural(Number(t.n), "active finding"),
        href: withQuery("/findings", { type: t.type }),
      })),
    });
  }
  return { q, groups: groups.filter((g) => g.hits.length > 0) };
}

const plural = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
