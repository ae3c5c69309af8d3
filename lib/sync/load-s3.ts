/**
 * load + cleanup for the S3 collector: writes one account's collected buckets into Postgres, stamped with the sync
 * run id, in ONE transaction (an account's data is replaced whole or not at all, so a crash mid-load leaves the last
 * complete data visible). Set-based — a fixed handful of statements per account whatever its size, with arrays
 * passed to unnest() rather than one bind parameter per row — because a large organisation has 100,000 buckets:
 *   - new buckets are inserted;
 *   - a new BucketState row is written only when the content hash of the settings (and region) changes, with one
 *     BucketSettingChange per changed setting (from → to): the history behind the bucket page and change alerts;
 *   - unchanged buckets are not written at all (an unchanged re-sync writes almost nothing); when a bucket's
 *     settings were last confirmed is the account's last successful sync (Account.lastSuccessAt);
 *   - cleanup marks buckets gone only when this account's bucket listing succeeded — a failed sync never deletes
 *     or hides the last good data.
 */
import { copyRows } from "@/lib/db/copy-rows";
import { withBulkTransaction, type Db } from "@/lib/db/prisma";
import type { BucketSettings } from "@/lib/domain/bucket-settings";
import { BUCKET_SETTING_KEYS } from "@/lib/domain/bucket-settings";
import { sha256Hex, stableStringify } from "@/lib/sync/stable-json";

export interface LoadableBucket {
  name: string;
  arn: string;
  region: string;
  createdAt: string | null;
  settings: BucketSettings;
}

export interface S3LoadResult {
  bucketIds: number[];
  created: number;
  changed: number;
  unchanged: number;
  markedGone: number;
  /** Buckets whose settings changed in this load (new buckets excluded): input for change notifications. */
  changedBucketIds: number[];
}

/** Which settings differ between two snapshots, with their before and after values. */
export function diffSettings(before: BucketSettings | null, after: BucketSettings) {
  const changes: { setting: string; fromValue: unknown; toValue: unknown }[] = [];
  for (const key of BUCKET_SETTING_KEYS) {
    const from = before ? before[key] : undefined;
    const to = after[key];
    if (stableStringify(from ?? null) !== stableStringify(to)) changes.push({ setting: key, fromValue: from ?? null, toValue: to });
  }
  return changes;
}

/**
 * What decides whether a new state row is needed: the settings (canonical JSON, which is also what is stored) and
 * where the bucket lives.
 */
export function bucketStateFingerprint(b: Pick<LoadableBucket, "region" | "settings">) {
  const json = stableStringify(b.settings);
  return { json, hash: sha256Hex(`${b.region}\n${json}`) };
}

export async function loadS3Account(
  client: Db,
  input: {
    syncRunId: string;
    accountId: string;
    readAt: Date;
    buckets: LoadableBucket[];
    /** True when ListBuckets succeeded, so absence from `buckets` really means the bucket is gone. */
    listingComplete: boolean;
  },
): Promise<S3LoadResult> {
  const { syncRunId, accountId, readAt } = input;
  const incoming = input.buckets.map((b) => ({ ...b, ...bucketStateFingerprint(b) }));

  return withBulkTransaction(client, async (tx) => {
      const q = async <T>(sql: string, params: unknown[]) => (await tx.query(sql, params)).rows as T[];
      // This account's buckets, plus any row of another account for a bucket this account now lists.
      const rows = await q<{ id: number; arn: string; account_id: string; gone: boolean; hash: string | null; state_id: number | null }>(
        `SELECT b.id, b.arn, b.account_id, b.gone_at IS NOT NULL AS gone, s.hash, s.id AS state_id
           FROM bucket b LEFT JOIN bucket_state s ON s.id = b.current_state_id
          WHERE b.account_id = $1 OR b.arn = ANY($2::text[])`, [accountId, incoming.map((b) => b.arn)]);
      const existing = rows.filter((r) => r.account_id === accountId);
      const byArn = new Map(existing.map((b) => [b.arn, b]));

      // 1. A bucket name freed by another account and re-created here keeps its row (bucket ARNs are global) and
      //    moves to this account; its settings become a change.
      const moved = rows.filter((r) => r.account_id !== accountId);
      if (moved.length) {
        await q(`UPDATE bucket SET account_id = $1, gone_at = NULL WHERE id = ANY($2::int[])`, [accountId, moved.map((m) => m.id)]);
        for (const m of moved) byArn.set(m.arn, { ...m, gone: false });
      }
      const fresh = incoming.filter((b) => !byArn.has(b.arn));
      if (fresh.length) {
        // New bucket and its first state in one statement: ids are drawn from the sequences up front so each row
        // can point at the other; the foreign keys are checked at the end of the statement, when both exist.
        // (The staging tables are created once per pooled connection: lib/db/prisma.ts.)
        await copyRows(tx, "stage_new_bucket", ["arn", "name", "region", "created_at", "hash", "settings"],
          fresh.map((b) => [b.arn, b.name, b.region, b.createdAt ? new Date(b.createdAt) : null, b.hash, b.json]));
        const created = await q<{ id: number; arn: string }>(
          `WITH staged AS (
             SELECT n.*, nextval(pg_get_serial_sequence('bucket', 'id')) AS bucket_id,
                    nextval(pg_get_serial_sequence('bucket_state', 'id')) AS state_id
               FROM stage_new_bucket n),
           new_bucket AS (
             INSERT INTO bucket (id, arn, name, account_id, region, bucket_created_at, first_seen_sync_id, last_seen_sync_id,
                                 first_seen_at, last_seen_at, current_state_id)
             SELECT bucket_id, arn, name, $1, region, created_at, $2::uuid, $2::uuid, $3, $3, state_id FROM staged
             RETURNING id, arn),
           new_state AS (
             INSERT INTO bucket_state (id, bucket_id, hash, settings, sync_run_id, read_at, last_read_at)
             SELECT state_id, bucket_id, hash, settings::jsonb, $2::uuid, $3, $3 FROM staged)
           SELECT id, arn FROM new_bucket`,
          [accountId, syncRunId, readAt]);
        const hashOf = new Map(fresh.map((f) => [f.arn, f.hash]));
        for (const b of created) byArn.set(b.arn, { id: b.id, arn: b.arn, account_id: accountId, gone: false, hash: hashOf.get(b.arn) ?? null, state_id: null });
      }

      // 2. New states where the hash changed.
      const changed = incoming.filter((b) => byArn.get(b.arn)!.hash !== b.hash);
      const unchanged = incoming.filter((b) => byArn.get(b.arn)!.hash === b.hash);
      const changedIds = changed.map((b) => byArn.get(b.arn)!.id);
      const changedBucketIds: number[] = [];
      if (changed.length) {
        // The settings documents are the bulk of the data: stage them with COPY, then one INSERT … SELECT.
        await copyRows(tx, "stage_bucket_state", ["bucket_id", "hash", "settings"], changed.map((b, i) => [changedIds[i]!, b.hash, b.json]));
        const states = await q<{ id: number; bucket_id: number }>(
          `INSERT INTO bucket_state (bucket_id, hash, settings, sync_run_id, read_at, last_read_at)
           SELECT bucket_id, hash, settings::jsonb, $1::uuid, $2, $2 FROM stage_bucket_state
           RETURNING id, bucket_id`,
          [syncRunId, readAt]);
        const stateByBucket = new Map(states.map((s) => [s.bucket_id, s.id]));

        // History: diff against the previous state of buckets that had one.
        const previousIds = changed.map((b) => byArn.get(b.arn)!.state_id).filter((id): id is number => id !== null);
        if (previousIds.length) {
          const previous = await q<{ bucket_id: number; settings: BucketSettings }>(
            `SELECT bucket_id, settings FROM bucket_state WHERE id = ANY($1::int[])`, [previousIds]);
          const prevByBucket = new Map(previous.map((p) => [p.bucket_id, p.settings]));
          const rows = { bucket: [] as number[], setting: [] as string[], from: [] as string[], to: [] as string[] };
          for (const b of changed) {
            const id = byArn.get(b.arn)!.id;
            const prev = prevByBucket.get(id);
            if (!prev) continue;
            changedBucketIds.push(id);
            for (const c of diffSettings(prev, b.settings)) {
              rows.bucket.push(id);
              rows.setting.push(c.setting);
              rows.from.push(JSON.stringify(c.fromValue));
              rows.to.push(JSON.stringify(c.toValue));
            }
          }
          if (rows.bucket.length) {
            await q(
              `INSERT INTO bucket_setting_change (bucket_id, setting, from_value, to_value, changed_at, sync_run_id)
               SELECT u.bucket_id, u.setting, u.from_value::jsonb, u.to_value::jsonb, $1, $2::uuid
                 FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) AS u(bucket_id, setting, from_value, to_value)`,
              [readAt, syncRunId, rows.bucket, rows.setting, rows.from, rows.to]);
          }
        }
        await q(
          `UPDATE bucket AS b
              SET current_state_id = u.state_id, region = u.region, last_seen_sync_id = $1::uuid, last_seen_at = $2, gone_at = NULL
             FROM unnest($3::int[], $4::int[], $5::text[]) AS u(id, state_id, region)
            WHERE b.id = u.id`,
          [syncRunId, readAt, changedIds, changedIds.map((id) => stateByBucket.get(id)!), changed.map((b) => b.region)]);
      }

      // 3. Unchanged buckets are not written, except to bring back one that had been marked gone.
      const revived = unchanged.map((b) => byArn.get(b.arn)!).filter((b) => b.gone).map((b) => b.id);
      if (revived.length) {
        await q(`UPDATE bucket SET gone_at = NULL, last_seen_sync_id = $1::uuid, last_seen_at = $2 WHERE id = ANY($3::int[])`,
          [syncRunId, readAt, revived]);
      }

      // 4. Cleanup: only a complete listing may declare buckets gone.
      let markedGone = 0;
      if (input.listingComplete) {
        const seen = new Set(incoming.map((b) => b.arn));
        const goneIds = existing.filter((b) => !seen.has(b.arn) && !b.gone).map((b) => b.id);
        if (goneIds.length) {
          markedGone = (await tx.query(`UPDATE bucket SET gone_at = $1 WHERE id = ANY($2::int[]) AND gone_at IS NULL`, [readAt, goneIds])).rowCount ?? 0;
        }
      }

      return {
        bucketIds: incoming.map((b) => byArn.get(b.arn)!.id),
        created: fresh.length,
        changed: changedBucketIds.length,
        unchanged: unchanged.length,
        markedGone,
        changedBucketIds,
      };
  });
}
