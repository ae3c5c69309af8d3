/**
 * load + cleanup for the S3 collector: writes one account's collected buckets into Postgres, stamped with the sync
 * run id, atomically — in one transaction, or for a first load and an unchanged re-sync in one statement — (an
 * account's data is replaced whole or not at all, so a crash mid-load leaves the last complete data visible). Set-based — a fixed handful of statements per account whatever its size, with arrays
 * passed to unnest() rather than one bind parameter per row — because a large organisation has 100,000 buckets:
 *   - new buckets are inserted;
 *   - a new BucketState row is written only when the content hash of the settings (and region) changes, with one
 *     BucketSettingChange per changed setting (from → to): the history behind the bucket page and change alerts;
 *   - unchanged buckets are not written at all (an unchanged re-sync writes almost nothing); when a bucket's
 *     settings were last confirmed is the account's last successful sync (Account.lastSuccessAt);
 *   - cleanup marks buckets gone only when this account's bucket listing succeeded — a failed sync never deletes
 *     or hides the last good data.
 */
import { bulkPoolFor, withBulkTransaction, type Db } from "@/lib/db/prisma";
import type { AccountSettings, BucketSettings } from "@/lib/domain/bucket-settings";
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
    if (stableStringify(from ?? null) !== stableStringify(to))
      changes.push({ setting: key, fromValue: from ?? null, toValue: to });
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

type Incoming = LoadableBucket & { json: string; hash: string };

type ExistingRow = {
  id: number;
  arn: string;
  account_id: string;
  gone: boolean;
  hash: string | null;
  state_id: number | null;
};

/**
 * This account's buckets, plus any row of another account for a bucket this account now lists. Two index lookups
 * (by account, and one probe of the unique ARN index per listed bucket — LIMIT 1 keeps the planner from turning it
 * into a join) rather than one OR, which the planner answered with a scan of every bucket: once per account, so a
 * 1,000-account load went quadratic.
 */
const EXISTING_BUCKETS_SQL = `
  SELECT b.id, b.arn, b.account_id, b.gone_at IS NOT NULL AS gone, s.hash, s.id AS state_id
    FROM bucket b LEFT JOIN bucket_state s ON s.id = b.current_state_id
   WHERE b.account_id = $1
  UNION ALL
  SELECT b.id, b.arn, b.account_id, b.gone, s.hash, s.id AS state_id
    FROM unnest($2::text[]) AS a(arn)
    CROSS JOIN LATERAL (SELECT id, arn, account_id, current_state_id, gone_at IS NOT NULL AS gone FROM bucket
                         WHERE bucket.arn = a.arn AND bucket.account_id <> $1 LIMIT 1) b
    LEFT JOIN bucket_state s ON s.id = b.current_state_id`;

/**
 * Rows for `jsonb_to_recordset`: one JSON document per statement rather than one text[] per column. The settings
 * are already canonical JSON (the same text that was hashed), so they are spliced in as they are — no escaping in
 * Node (node-postgres quoted and backslash-escaped every settings document into an array literal, ≈ 2 ms per
 * 100 buckets) and one parse on the server instead of an array literal plus a jsonb parse per row (measured: 17 %
 * less time per account loaded, docs/performance.md, benchmark 2). Timestamps travel as ISO strings in UTC, like
 * every other timestamp Custody stores.
 */
function rowsJson<T extends Incoming>(rows: T[], fields: (row: T) => Record<string, string | number | null>): string {
  let out = "[";
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    // `{"arn":…,"hash":…` + `,"settings":<the canonical JSON>}`: valid JSON by construction (stableStringify).
    out += `${i ? "," : ""}${JSON.stringify({ ...fields(row), hash: row.hash }).slice(0, -1)},"settings":${row.json}}`;
  }
  return `${out}]`;
}

/**
 * New buckets and their first states in one statement: ids are drawn from the sequences up front so each row can
 * point at the other; the foreign keys are checked at the end of the statement, when both exist. The rows travel
 * as one JSON document (rowsJson), not through a COPY-staged temp table: emptying a temp table at commit cost
 * ~10 ms per transaction — per account — and the COPY two more round trips.
 */
const INSERT_NEW_BUCKETS_SQL = `
  WITH seq AS MATERIALIZED (
    -- The sequences looked up once per statement: pg_get_serial_sequence per row cost 5 µs a call, nextval 0.4 µs.
    SELECT pg_get_serial_sequence('bucket', 'id')::regclass AS bucket, pg_get_serial_sequence('bucket_state', 'id')::regclass AS state),
  staged AS (
    SELECT n.*, nextval(seq.bucket) AS bucket_id, nextval(seq.state) AS state_id
      FROM seq, jsonb_to_recordset($4::jsonb)
           AS n(arn text, name text, region text, created_at timestamp, hash text, settings jsonb)),
  new_bucket AS (
    INSERT INTO bucket (id, arn, name, account_id, region, bucket_created_at, first_seen_sync_id, last_seen_sync_id,
                        first_seen_at, last_seen_at, current_state_id)
    SELECT bucket_id, arn, name, $1, region, created_at, $2::uuid, $2::uuid, $3, $3, state_id FROM staged
    RETURNING id, arn),
  new_state AS (
    INSERT INTO bucket_state (id, bucket_id, hash, settings, sync_run_id, read_at, last_read_at)
    SELECT state_id, bucket_id, hash, settings, $2::uuid, $3, $3 FROM staged)
  SELECT id, arn FROM new_bucket`;

const insertNewBucketsParams = (accountId: string, syncRunId: string, readAt: Date, fresh: Incoming[]) => [
  accountId,
  syncRunId,
  readAt,
  rowsJson(fresh, (b) => ({
    arn: b.arn,
    name: b.name,
    region: b.region,
    created_at: b.createdAt ? new Date(b.createdAt).toISOString() : null,
  })),
];

/**
 * Nothing to write: every listed bucket is this account's, live and unchanged, and (after a complete listing)
 * none of the account's live buckets is missing from it.
 */
function nothingToWrite(
  accountId: string,
  incoming: Incoming[],
  rows: ExistingRow[],
  listingComplete: boolean,
): boolean {
  const byArn = new Map<string, ExistingRow>();
  for (const r of rows) {
    if (r.account_id !== accountId) return false;
    byArn.set(r.arn, r);
  }
  for (const b of incoming) {
    const row = byArn.get(b.arn);
    if (!row || row.gone || row.hash !== b.hash) return false;
  }
  if (listingComplete) {
    const seen = new Set(incoming.map((b) => b.arn));
    if (rows.some((r) => !r.gone && !seen.has(r.arn))) return false;
  }
  return true;
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
  const incoming: Incoming[] = input.buckets.map((b) => ({ ...b, ...bucketStateFingerprint(b) }));

  // Fast paths, each one round trip without a transaction (a load used to cost six round trips and a commit per
  // account, which dominated the load of an estate of small accounts):
  //   - an unchanged re-sync: one read shows there is nothing to write;
  //   - a first load: the account has no buckets and no other account has any of its ARNs, so every bucket is new
  //     and goes in with one statement (atomic on its own). Should another account's sync create one of these
  //     ARNs in between, the unique index stops the statement and the general path below sorts it out.
  // Only one sync of an account runs at a time (lib/sync/jobs/concurrency-locks.ts), so nothing else writes this
  // account's rows between the read and the write.
  const pool = bulkPoolFor(client);
  // Named statements: prepared once per connection, so the 1,000 loads of a large sync are not each parsed and planned.
  const seen = (
    await pool.query<ExistingRow>({
      name: "load-s3-existing",
      text: EXISTING_BUCKETS_SQL,
      values: [accountId, incoming.map((b) => b.arn)],
    })
  ).rows;
  const unchangedResult = (ids: Map<string, number>): S3LoadResult => ({
    bucketIds: incoming.map((b) => ids.get(b.arn)!),
    created: 0,
    changed: 0,
    unchanged: incoming.length,
    markedGone: 0,
    changedBucketIds: [],
  });
  if (nothingToWrite(accountId, incoming, seen, input.listingComplete))
    return unchangedResult(new Map(seen.map((r) => [r.arn, r.id])));
  if (seen.length === 0 && incoming.length > 0) {
    try {
      const created = (
        await pool.query<{ id: number; arn: string }>({
          name: "load-s3-first",
          text: INSERT_NEW_BUCKETS_SQL,
          values: insertNewBucketsParams(accountId, syncRunId, readAt, incoming),
        })
      ).rows;
      const ids = new Map(created.map((c) => [c.arn, c.id]));
      return {
        bucketIds: incoming.map((b) => ids.get(b.arn)!),
        created: incoming.length,
        changed: 0,
        unchanged: 0,
        markedGone: 0,
        changedBucketIds: [],
      };
    } catch (error) {
      if ((error as { code?: string }).code !== "23505") throw error; // unique_violation: fall through
    }
  }

  return withBulkTransaction(client, async (tx) => {
    const q = async <T>(sql: string, params: unknown[]) => (await tx.query(sql, params)).rows as T[];
    // This account's buckets, plus any row of another account for a bucket this account now lists.
    const rows = await q<ExistingRow>(EXISTING_BUCKETS_SQL, [accountId, incoming.map((b) => b.arn)]);
    const existing = rows.filter((r) => r.account_id === accountId);
    const byArn = new Map(existing.map((b) => [b.arn, b]));

    // 1. A bucket name freed by another account and re-created here keeps its row (bucket ARNs are global) and
    //    moves to this account; its settings become a change.
    const moved = rows.filter((r) => r.account_id !== accountId);
    if (moved.length) {
      await q(`UPDATE bucket SET account_id = $1, gone_at = NULL WHERE id = ANY($2::int[])`, [
        accountId,
        moved.map((m) => m.id),
      ]);
      for (const m of moved) byArn.set(m.arn, { ...m, gone: false });
    }
    const fresh = incoming.filter((b) => !byArn.has(b.arn));
    if (fresh.length) {
      const created = await q<{ id: number; arn: string }>(
        INSERT_NEW_BUCKETS_SQL,
        insertNewBucketsParams(accountId, syncRunId, readAt, fresh),
      );
      const hashOf = new Map(fresh.map((f) => [f.arn, f.hash]));
      for (const b of created)
        byArn.set(b.arn, {
          id: b.id,
          arn: b.arn,
          account_id: accountId,
          gone: false,
          hash: hashOf.get(b.arn) ?? null,
          state_id: null,
        });
    }

    // 2. New states where the hash changed.
    const changed = incoming.filter((b) => byArn.get(b.arn)!.hash !== b.hash);
    const unchanged = incoming.filter((b) => byArn.get(b.arn)!.hash === b.hash);
    const changedIds = changed.map((b) => byArn.get(b.arn)!.id);
    const changedBucketIds: number[] = [];
    if (changed.length) {
      const states = await q<{ id: number; bucket_id: number }>(
        `INSERT INTO bucket_state (bucket_id, hash, settings, sync_run_id, read_at, last_read_at)
           SELECT u.bucket_id, u.hash, u.settings, $1::uuid, $2, $2
             FROM jsonb_to_recordset($3::jsonb) AS u(bucket_id int, hash text, settings jsonb)
           RETURNING id, bucket_id`,
        [syncRunId, readAt, rowsJson(changed, (b) => ({ bucket_id: byArn.get(b.arn)!.id }))],
      );
      const stateByBucket = new Map(states.map((s) => [s.bucket_id, s.id]));

      // History: diff against the previous state of buckets that had one.
      const previousIds = changed.map((b) => byArn.get(b.arn)!.state_id).filter((id): id is number => id !== null);
      if (previousIds.length) {
        const previous = await q<{ bucket_id: number; settings: BucketSettings }>(
          `SELECT bucket_id, settings FROM bucket_state WHERE id = ANY($1::int[])`,
          [previousIds],
        );
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
            [readAt, syncRunId, rows.bucket, rows.setting, rows.from, rows.to],
          );
        }
      }
      await q(
        `UPDATE bucket AS b
              SET current_state_id = u.state_id, region = u.region, last_seen_sync_id = $1::uuid, last_seen_at = $2, gone_at = NULL
             FROM unnest($3::int[], $4::int[], $5::text[]) AS u(id, state_id, region)
            WHERE b.id = u.id`,
        [syncRunId, readAt, changedIds, changedIds.map((id) => stateByBucket.get(id)!), changed.map((b) => b.region)],
      );
    }

    // 3. Unchanged buckets are not written, except to bring back one that had been marked gone.
    const revived = unchanged
      .map((b) => byArn.get(b.arn)!)
      .filter((b) => b.gone)
      .map((b) => b.id);
    if (revived.length) {
      await q(
        `UPDATE bucket SET gone_at = NULL, last_seen_sync_id = $1::uuid, last_seen_at = $2 WHERE id = ANY($3::int[])`,
        [syncRunId, readAt, revived],
      );
    }

    // 4. Cleanup: only a complete listing may declare buckets gone.
    let markedGone = 0;
    if (input.listingComplete) {
      const seen = new Set(incoming.map((b) => b.arn));
      const goneIds = existing.filter((b) => !seen.has(b.arn) && !b.gone).map((b) => b.id);
      if (goneIds.length) {
        markedGone =
          (
            await tx.query(`UPDATE bucket SET gone_at = $1 WHERE id = ANY($2::int[]) AND gone_at IS NULL`, [
              readAt,
              goneIds,
            ])
          ).rowCount ?? 0;
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

/** The account-level S3 settings (S3 Control's Block Public Access), read in the same sync as its buckets. */
export async function storeS3AccountSettings(
  client: Db,
  input: { accountId: string; readAt: Date; settings: AccountSettings },
): Promise<void> {
  // Plain SQL on a bulk connection (once per account job; through Prisma ≈ 1 ms of worker CPU, docs/performance.md).
  // Like Prisma's update: updated_at moves, and a missing account is an error.
  const updated = await bulkPoolFor(client).query({
    name: "s3-account-settings",
    text: `UPDATE account SET s3_account_settings = $2::jsonb, s3_account_settings_read_at = $3, updated_at = $4 WHERE id = $1`,
    values: [input.accountId, JSON.stringify(input.settings), input.readAt.toISOString(), new Date().toISOString()],
  });
  if (updated.rowCount === 0) throw new Error(`Account ${input.accountId} not found`);
}
