/**
 * load + cleanup for the S3 collector: writes one account's collected buckets into Postgres, stamped with the sync
 * run id. Set-based (a handful of statements per account whatever its size), because a large organisation has
 * 100,000 buckets:
 *   - new buckets are inserted;
 *   - a new BucketState row is written only when the settings' content hash changes, with one BucketSettingChange
 *     per changed setting (from → to), which is the history behind the bucket page and change alerts;
 *   - unchanged buckets only get their "last confirmed" stamps moved;
 *   - cleanup marks buckets gone only when this account's bucket listing succeeded — a failed sync never deletes
 *     or hides the last good data.
 */
import type { Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BucketSettings } from "@/lib/domain/bucket-settings";
import { BUCKET_SETTING_KEYS } from "@/lib/domain/bucket-settings";
import { contentHash, stableStringify } from "@/lib/sync/stable-json";

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
}

const CHUNK = 1_000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
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
  const incoming = input.buckets.map((b) => ({ ...b, hash: contentHash(b.settings) }));

  const existing = await client.bucket.findMany({
    where: { accountId },
    select: { id: true, arn: true, currentState: { select: { hash: true, settings: true } } },
  });
  const byArn = new Map(existing.map((b) => [b.arn, b]));

  // 1. New buckets.
  const fresh = incoming.filter((b) => !byArn.has(b.arn));
  for (const part of chunks(fresh)) {
    await client.bucket.createMany({
      data: part.map((b) => ({
        arn: b.arn,
        name: b.name,
        accountId,
        region: b.region,
        bucketCreatedAt: b.createdAt ? new Date(b.createdAt) : null,
        firstSeenSyncId: syncRunId,
        lastSeenSyncId: syncRunId,
        firstSeenAt: readAt,
        lastSeenAt: readAt,
      })),
      skipDuplicates: true,
    });
  }
  if (fresh.length) {
    const created = await client.bucket.findMany({
      where: { accountId, arn: { in: fresh.map((b) => b.arn) } },
      select: { id: true, arn: true },
    });
    for (const b of created) byArn.set(b.arn, { id: b.id, arn: b.arn, currentState: null });
  }

  // 2. States: new row on hash change, else confirm the current one.
  const changed = incoming.filter((b) => byArn.get(b.arn)?.currentState?.hash !== b.hash);
  const unchanged = incoming.filter((b) => byArn.get(b.arn)?.currentState?.hash === b.hash);
  let changedCount = 0;

  for (const part of chunks(changed)) {
    await client.$transaction(async (tx) => {
      const states = await tx.bucketState.createManyAndReturn({
        data: part.map((b) => ({
          bucketId: byArn.get(b.arn)!.id,
          hash: b.hash,
          settings: b.settings as unknown as Prisma.InputJsonValue,
          syncRunId,
          readAt,
          lastReadAt: readAt,
        })),
        select: { id: true, bucketId: true },
      });
      const stateByBucket = new Map(states.map((s) => [s.bucketId, s.id]));
      const changeRows: Prisma.BucketSettingChangeCreateManyInput[] = [];
      for (const b of part) {
        const prev = byArn.get(b.arn)!.currentState;
        if (!prev) continue; // first sight of a bucket is not a "change"
        changedCount++;
        for (const c of diffSettings(prev.settings as unknown as BucketSettings, b.settings)) {
          changeRows.push({
            bucketId: byArn.get(b.arn)!.id,
            setting: c.setting,
            fromValue: c.fromValue as Prisma.InputJsonValue,
            toValue: c.toValue as Prisma.InputJsonValue,
            changedAt: readAt,
            syncRunId,
          });
        }
      }
      if (changeRows.length) await tx.bucketSettingChange.createMany({ data: changeRows });
      const ids = part.map((b) => byArn.get(b.arn)!.id);
      const stateIds = ids.map((id) => stateByBucket.get(id)!);
      const regions = part.map((b) => b.region);
      await tx.$executeRaw`
        UPDATE bucket AS b
           SET current_state_id = u.state_id, region = u.region, last_seen_sync_id = ${syncRunId}::uuid,
               last_seen_at = ${readAt}, gone_at = NULL
          FROM unnest(${ids}::int[], ${stateIds}::int[], ${regions}::text[]) AS u(id, state_id, region)
         WHERE b.id = u.id`;
    });
  }

  for (const part of chunks(unchanged)) {
    const ids = part.map((b) => byArn.get(b.arn)!.id);
    await client.$transaction([
      client.$executeRaw`
        UPDATE bucket_state AS s SET last_read_at = ${readAt}
          FROM bucket AS b WHERE b.current_state_id = s.id AND b.id = ANY(${ids}::int[])`,
      client.$executeRaw`
        UPDATE bucket SET last_seen_sync_id = ${syncRunId}::uuid, last_seen_at = ${readAt}, gone_at = NULL
         WHERE id = ANY(${ids}::int[])`,
    ]);
  }

  // 3. Cleanup: only a complete listing may declare buckets gone.
  let markedGone = 0;
  if (input.listingComplete) {
    const seen = new Set(incoming.map((b) => b.arn));
    const goneIds = existing.filter((b) => !seen.has(b.arn)).map((b) => b.id);
    for (const part of chunks(goneIds)) {
      const r = await client.bucket.updateMany({ where: { id: { in: part }, goneAt: null }, data: { goneAt: readAt } });
      markedGone += r.count;
    }
  }

  return {
    bucketIds: incoming.map((b) => byArn.get(b.arn)!.id),
    created: fresh.length,
    changed: changedCount,
    unchanged: unchanged.length,
    markedGone,
  };
}
