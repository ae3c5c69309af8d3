/**
 * The KMS source's SQL: which keys an account's sync reads (its buckets' and trails' keys, and its own keys that
 * other accounts' reads named — each an indexed lookup, never a scan of other accounts' buckets), and the load of
 * what was read, in ONE statement. A read with an error (aliases unreadable) still stores the keys it read but
 * deletes nothing, so the last good data stays.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { KeyReference, KmsCollection } from "./collect";

export async function keyReferencesOf(client: Db, accountId: string): Promise<KeyReference[]> {
  const result = await bulkPoolFor(client).query<{ region: string; key_ref: string }>({
    name: "kms-key-references",
    text: `SELECT DISTINCT b.region, r->>'kmsKeyId' AS key_ref
             FROM bucket b
             JOIN bucket_state s ON s.id = b.current_state_id
             CROSS JOIN LATERAL jsonb_array_elements(
               CASE WHEN s.settings->'encryption'->>'status' = 'present'
                    THEN s.settings->'encryption'->'value'->'rules' ELSE '[]'::jsonb END) r
            WHERE b.account_id = $1 AND b.gone_at IS NULL AND r->>'kmsKeyId' IS NOT NULL
           UNION
           SELECT t.home_region, t.kms_key_id FROM trail t
            WHERE t.account_id = $1 AND t.owner_account_id = $1 AND t.kms_key_id IS NOT NULL
           UNION
           SELECT k.region, k.arn FROM kms_key k
            WHERE k.owner_account_id = $1 AND k.read_by_account_id <> $1 AND k.arn IS NOT NULL`,
    values: [accountId],
  });
  return result.rows.map((r) => ({ region: r.region, keyRef: r.key_ref }));
}

export async function loadKmsKeys(
  client: Db,
  input: { syncRunId: string; accountId: string; readAt: Date; collection: KmsCollection },
): Promise<{ written: number }> {
  const { syncRunId, accountId, readAt, collection } = input;
  const keys = collection.keys;
  const result = await bulkPoolFor(client).query<{ written: number }>({
    name: "load-kms-keys",
    text: `WITH u AS (
       SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::jsonb[], $11::text[])
              AS u(region, key_ref, arn, owner_account_id, metadata, policy, rotation, aliases)),
     written AS (
       INSERT INTO kms_key (read_by_account_id, region, key_ref, arn, owner_account_id, metadata, policy, rotation,
                            aliases, read_at, sync_run_id)
       SELECT $1, u.region, u.key_ref, u.arn, u.owner_account_id, u.metadata, u.policy, u.rotation,
              COALESCE(u.aliases::text[], '{}'), $2, $3::uuid FROM u
       ON CONFLICT (read_by_account_id, region, key_ref) DO UPDATE
         SET arn = EXCLUDED.arn, owner_account_id = EXCLUDED.owner_account_id, metadata = EXCLUDED.metadata,
             policy = EXCLUDED.policy, rotation = EXCLUDED.rotation, aliases = EXCLUDED.aliases,
             read_at = EXCLUDED.read_at, sync_run_id = EXCLUDED.sync_run_id
       RETURNING 1),
     gone AS (
       DELETE FROM kms_key k WHERE k.read_by_account_id = $1 AND $12::bool
          AND NOT EXISTS (SELECT 1 FROM u WHERE u.region = k.region AND u.key_ref = k.key_ref))
     SELECT (SELECT count(*) FROM written)::int AS written`,
    values: [
      accountId,
      readAt,
      syncRunId,
      keys.map((k) => k.region),
      keys.map((k) => k.keyRef),
      keys.map((k) => k.arn),
      keys.map((k) => k.ownerAccountId),
      keys.map((k) => JSON.stringify(k.metadata)),
      keys.map((k) => JSON.stringify(k.policy)),
      keys.map((k) => JSON.stringify(k.rotation)),
      // Postgres has no array of arrays of different lengths: each key's aliases as one text[] literal.
      keys.map((k) => `{${k.aliases.map((a) => `"${a.replace(/["\\]/g, "\\$&")}"`).join(",")}}`),
      collection.error === null,
    ],
  });
  return { written: result.rows[0]?.written ?? 0 };
}
