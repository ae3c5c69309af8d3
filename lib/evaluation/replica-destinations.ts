/**
 * The replication destinations of a page of buckets, as Custody knows them: which account owns each destination
 * bucket (the account Custody read it in — bucket names are global — else the rule's Destination.Account), whether
 * that account is linked to Custody, and the copy's versioning and Object Lock as last read
 * (as of the snapshot, for evidence). One query per page, whatever the number of rules.
 */
import type { Pool } from "pg";
import type { BucketSettings } from "@/lib/domain/bucket-settings";
import type { ReplicaDestination } from "@/lib/domain/controls/control-input";

const ARN_PREFIX = "arn:aws:s3:::";

/** The destinations named by the buckets' enabled replication rules: bucket ARN → the rule's Destination.Account. */
function destinationsOf(pages: { settings: BucketSettings }[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const { settings } of pages) {
    const r = settings.replication;
    if (r?.status !== "present") continue;
    for (const rule of r.value.rules) {
      if (rule.status !== "Enabled") continue;
      if (!out.has(rule.destinationBucketArn) || out.get(rule.destinationBucketArn) === null)
        out.set(rule.destinationBucketArn, rule.destinationAccount);
    }
  }
  return out;
}

export async function replicaDestinationsFor(
  pool: Pool,
  page: { settings: BucketSettings }[],
  at: Date | null,
): Promise<Record<string, ReplicaDestination>> {
  const named = destinationsOf(page);
  if (named.size === 0) return {};
  const arns = [...named.keys()];
  const names = arns.map((arn) => (arn.startsWith(ARN_PREFIX) ? arn.slice(ARN_PREFIX.length) : arn));
  const ruleAccounts = arns.map((arn) => named.get(arn) ?? null);
  const state = at
    ? `LEFT JOIN LATERAL (SELECT settings FROM bucket_state WHERE bucket_id = b.id AND read_at <= $4::timestamp ORDER BY read_at DESC, id DESC LIMIT 1) s ON true`
    : `LEFT JOIN bucket_state s ON s.id = b.current_state_id`;
  const { rows } = await pool.query<{
    arn: string;
    owner: string | null;
    owner_name: string | null;
    linked: boolean;
    versioning: BucketSettings["versioning"] | null;
    object_lock: BucketSettings["objectLock"] | null;
  }>(
    `SELECT d.arn, COALESCE(b.account_id, d.rule_account) AS owner, a.name AS owner_name, a.id IS NOT NULL AS linked,
            s.settings -> 'versioning' AS versioning, s.settings -> 'objectLock' AS object_lock
       FROM unnest($1::text[], $2::text[], $3::text[]) AS d(arn, name, rule_account)
       LEFT JOIN bucket b ON b.name = d.name AND b.gone_at IS NULL
       ${state}
       LEFT JOIN account a ON a.id = COALESCE(b.account_id, d.rule_account)`,
    at ? [arns, names, ruleAccounts, at.toISOString()] : [arns, names, ruleAccounts],
  );
  const out: Record<string, ReplicaDestination> = {};
  for (const r of rows) {
    const read = r.versioning !== null && r.object_lock !== null;
    out[r.arn] = {
      ownerAccountId: r.owner,
      ownerAccountName: r.owner_name,
      ownerLinked: r.linked,
      versioning: read ? r.versioning : null,
      objectLock: read ? r.object_lock : null,
    };
  }
  return out;
}
