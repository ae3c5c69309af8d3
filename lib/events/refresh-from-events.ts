/**
 * A planned refresh (lib/domain/events: one bucket, or one account's account-wide settings, and the events that
 * asked for it) carried out: re-read the current state through the account's read-only role, load it as a sync
 * would (a new state and its settings diff only when something changed), re-evaluate, and record every event with
 * who / when / from where and the bucket's verdict before and after.
 *
 * Idempotent: events are keyed by CloudTrail's event id (a redelivered event is recorded once), and the refresh
 * always reads the current state, so duplicates and out-of-order events cannot make the stored state wrong.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import type { ChangeEvent, PlannedRefresh } from "@/lib/domain/events/bucket-change-event";
import { evaluateAccountBuckets, evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { collectS3Bucket } from "@/lib/sources/s3/collect";
import { loadS3Account, storeS3AccountSettings } from "@/lib/sources/s3/load";
import { collectAccountPublicAccessBlock, s3controlService } from "@/lib/sources/s3control/collect";
import { AssumeRoleError, type AwsConnector } from "@/lib/sources/shared/connector";
import { tryAccountLock } from "@/lib/sync/jobs/concurrency-locks";
import { CREDENTIAL_ERRORS as CREDENTIAL_CODES, type SessionCache } from "./session-cache";

/** What the bucket looked like to a reader of Custody: its exposure and the required controls it failed. */
export interface BucketVerdict {
  exposure: string | null;
  /** reachable | not-reachable | unknown from outside the organisation (effective access; public included). */
  outsideReach?: string | null;
  failing: string[];
  gone: boolean;
}

export type RefreshOutcome =
  | {
      status: "refreshed";
      refreshId: string;
      bucketId: number | null;
      before: BucketVerdict | null;
      after: BucketVerdict | null;
    }
  /** The account is not linked (or was unlinked): the events are counted and dropped. */
  | { status: "unlinked" }
  /** A full sync of the account holds its lock: try again later (the messages stay on the queue). */
  | { status: "busy" }
  /** The role could not be assumed or the read failed outright: try again later. */
  | { status: "failed"; reason: string };

async function verdictOf(
  db: Db,
  accountId: string,
  bucketName: string,
): Promise<{ id: number; verdict: BucketVerdict } | null> {
  const bucket = await db.bucket.findFirst({
    where: { accountId, name: bucketName },
    select: {
      id: true,
      exposure: true,
      outsideReach: true,
      goneAt: true,
      controlResults: { where: { status: "fail" }, select: { controlId: true }, orderBy: { controlId: "asc" } },
    },
  });
  if (!bucket) return null;
  return {
    id: bucket.id,
    verdict: {
      exposure: bucket.exposure,
      outsideReach: bucket.outsideReach,
      failing: bucket.controlResults.map((c) => c.controlId),
      gone: bucket.goneAt !== null,
    },
  };
}

async function recordEvents(
  db: Db,
  events: ChangeEvent[],
  at: {
    receivedAt: Date;
    refreshId: string | null;
    bucketId: number | null;
    before: BucketVerdict | null;
    after: BucketVerdict | null;
  },
): Promise<void> {
  await db.bucketChangeEvent.createMany({
    skipDuplicates: true, // a redelivered event (same CloudTrail event id) is recorded once
    data: events.map((e) => ({
      eventId: e.eventId,
      accountId: e.accountId,
      region: e.region,
      bucketName: e.target.kind === "bucket" ? e.target.bucketName : null,
      bucketId: at.bucketId,
      eventName: e.eventName,
      eventTime: e.eventTime,
      actorArn: e.actor.arn,
      actorType: e.actor.type,
      principalId: e.actor.principalId,
      invokedBy: e.actor.invokedBy,
      sourceIp: e.sourceIp,
      errorCode: e.errorCode,
      receivedAt: at.receivedAt,
      refreshId: at.refreshId,
      verdictBefore: (at.before ?? undefined) as object | undefined,
      verdictAfter: (at.after ?? undefined) as object | undefined,
    })),
  });
}

/** Records refused calls (nothing changed, nothing to re-read) against the bucket they aimed at. */
export async function recordRefusedEvents(db: Db, events: ChangeEvent[], receivedAt = new Date()): Promise<void> {
  for (const e of events) {
    const found = e.target.kind === "bucket" ? await verdictOf(db, e.accountId, e.target.bucketName) : null;
    await recordEvents(db, [e], {
      receivedAt,
      refreshId: null,
      bucketId: found?.id ?? null,
      before: null,
      after: null,
    });
  }
}

export async function refreshFromEvents(
  db: Db,
  deps: { connector: AwsConnector; databaseUrl: string; sessions?: SessionCache },
  refresh: PlannedRefresh,
  receivedAt = new Date(),
): Promise<RefreshOutcome> {
  const account = await db.account.findUnique({
    where: { id: refresh.accountId },
    select: { id: true, roleArn: true, externalId: true, enabled: true },
  });
  if (!account || !account.enabled) return { status: "unlinked" };

  const lock = await tryAccountLock(deps.databaseUrl, account.id);
  if (!lock) return { status: "busy" };
  try {
    let clients;
    try {
      const ref = { accountId: account.id, roleArn: account.roleArn, externalId: account.externalId };
      clients = await (deps.sessions ? deps.sessions.clientsFor(ref) : deps.connector.connect(ref));
    } catch (e) {
      const reason =
        e instanceof AssumeRoleError ? `${e.code}: ${e.explanation}` : e instanceof Error ? e.message : String(e);
      return { status: "failed", reason };
    }
    const refreshId = randomUUID();
    const readAt = new Date();
    // Account-level calls read the account through the region the event came from.
    const homeRegion = refresh.events[refresh.events.length - 1]!.region;

    if (refresh.target.kind === "account") {
      const pab = await collectAccountPublicAccessBlock(clients.get(s3controlService, homeRegion), account.id);
      await storeS3AccountSettings(db, { accountId: account.id, readAt, settings: { publicAccessBlock: pab } });
      await evaluateAccountBuckets(db, account.id);
      await recordEvents(db, refresh.events, { receivedAt, refreshId, bucketId: null, before: null, after: null });
      return { status: "refreshed", refreshId, bucketId: null, before: null, after: null };
    }

    const bucketName = refresh.target.bucketName;
    const before = await verdictOf(db, account.id, bucketName);
    const read = await collectS3Bucket(clients, { bucketName, homeRegion });
    // Credentials refused (an expired or revoked session): nothing was read, so nothing is stored; the events stay
    // on the queue and the next attempt assumes the role again.
    if (
      !read.gone &&
      Object.values(read.bucket.settings).every(
        (v) => v.status === "unknown" && CREDENTIAL_CODES.has(v.errorCode ?? ""),
      )
    ) {
      deps.sessions?.drop(account.id);
      return { status: "failed", reason: "the account's role session was refused; it is assumed again next time" };
    }
    if (read.gone) {
      // Deleted (or never there): a bucket Custody knew is marked gone; its history stays.
      if (before && !before.verdict.gone)
        await db.bucket.update({ where: { id: before.id }, data: { goneAt: readAt } });
    } else {
      const loaded = await loadS3Account(db, {
        syncRunId: refreshId,
        accountId: account.id,
        readAt,
        buckets: [read.bucket],
        listingComplete: false, // one bucket read: absence of the others means nothing
      });
      await evaluateBuckets(db, { id: loaded.bucketIds[0]! });
    }
    const after = await verdictOf(db, account.id, bucketName);
    const bucketId = after?.id ?? before?.id ?? null;
    await recordEvents(db, refresh.events, {
      receivedAt,
      refreshId,
      bucketId,
      before: before?.verdict ?? null,
      after: after?.verdict ?? null,
    });
    return { status: "refreshed", refreshId, bucketId, before: before?.verdict ?? null, after: after?.verdict ?? null };
  } finally {
    await lock.release();
  }
}
