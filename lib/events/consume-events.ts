/**
 * The bucket-change consumer: long-polls the hub queue, validates each message, coalesces a short window of events
 * into at most one re-read per bucket (lib/domain/events), carries each out (refresh-from-events.ts), alerts on what
 * got worse, and deletes a message only after what it asked for is committed.
 *
 * Delivery is at least once: a message whose refresh could not be done now (a full sync holds the account, the role
 * could not be assumed) stays on the queue and comes back after its visibility timeout; a message that is not a
 * bucket-change event is logged with its reason and left for SQS to move to the dead-letter queue after the queue's
 * maxReceiveCount. Nothing here throws out of a round: one bad message or account never stops the others.
 */
import type { Db } from "@/lib/db/prisma";
import {
  parseChangeEvent,
  planRefreshes,
  type ChangeEvent,
  type PlannedRefresh,
} from "@/lib/domain/events/bucket-change-event";
import { logger } from "@/lib/logger";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import type { EventsQueue, QueueMessage } from "@/lib/sources/events-queue/sqs-queue";
import type { AwsConnector } from "@/lib/sources/shared/connector";
import { deliverChangeNotifications } from "@/lib/sync/notifications/deliver-webhooks";
import type { PostureEvent } from "@/lib/sync/notifications/notification-diff";
import { createSessionCache, type SessionCache } from "./session-cache";
import { recordRefusedEvents, refreshFromEvents, type BucketVerdict, type RefreshOutcome } from "./refresh-from-events";

export interface ConsumerDeps {
  db: Db;
  queue: EventsQueue;
  connector: AwsConnector;
  databaseUrl: string;
  /** How long to gather events after the first one arrives, so a burst on one bucket costs one re-read. */
  windowMs: number;
  /** Events gathered per round at most (bounds memory and a round's length under a flood). */
  maxPerRound?: number;
  /** Refreshes carried out at once. */
  concurrency?: number;
  /** Long-poll wait of an idle round, seconds (SQS allows up to 20). */
  waitSeconds?: number;
  /** Alerts for what got worse; default: the configured webhooks. */
  notify?: (input: { refreshId: string; events: PostureEvent[]; cause: ChangeEvent }) => Promise<void>;
  signal?: AbortSignal;
  /** Role sessions kept between rounds (runEventConsumer makes one); without it each refresh assumes the role. */
  sessions?: SessionCache;
}

export interface RoundSummary {
  received: number;
  malformed: number;
  refreshes: number;
  unlinked: number;
  /** Refreshes left for later (account busy or unreadable): their messages stay on the queue. */
  deferred: number;
  deleted: number;
  alerts: number;
}

/** What got worse between two verdicts of a bucket: newly public, newly reachable from outside, newly failing. */
export function worsened(
  bucket: { id: number; name: string; accountId: string },
  before: BucketVerdict | null,
  after: BucketVerdict | null,
): PostureEvent[] {
  if (!after || after.gone) return [];
  const out: PostureEvent[] = [];
  const becamePublic = after.exposure === "public" && before?.exposure !== "public";
  if (becamePublic) out.push({ kind: "newly-public", bucket });
  // Public implies reachable from outside: said once, as public.
  else if (after.exposure !== "public" && after.outsideReach === "reachable" && before?.outsideReach !== "reachable")
    out.push({ kind: "newly-reachable", bucket });
  const was = new Set(before?.failing ?? []);
  const controls = after.failing.filter((c) => !was.has(c));
  if (controls.length) out.push({ kind: "newly-failing", bucket, controls });
  return out;
}

async function gather(deps: ConsumerDeps): Promise<QueueMessage[]> {
  const max = deps.maxPerRound ?? 500;
  const first = await deps.queue.receive({ max: 10, waitSeconds: deps.waitSeconds ?? 20, signal: deps.signal });
  if (first.length === 0) return [];
  const messages = [...first];
  const until = Date.now() + deps.windowMs;
  while (messages.length < max && Date.now() < until && !deps.signal?.aborted) {
    const wait = Math.min(20, Math.max(0, Math.floor((until - Date.now()) / 1000)));
    const more = await deps.queue.receive({
      max: Math.min(10, max - messages.length),
      waitSeconds: wait,
      signal: deps.signal,
    });
    if (more.length === 0 && wait === 0) break;
    messages.push(...more);
  }
  return messages;
}

const defaultNotify = (db: Db) => async (input: { refreshId: string; events: PostureEvent[]; cause: ChangeEvent }) => {
  await deliverChangeNotifications(db, {
    refreshId: input.refreshId,
    events: input.events,
    cause: {
      eventName: input.cause.eventName,
      eventTime: input.cause.eventTime,
      actorArn: input.cause.actor.arn,
      sourceIp: input.cause.sourceIp,
    },
  });
};

/** One round: gather a window of messages, refresh, alert, delete what is done. */
export async function consumeRound(deps: ConsumerDeps): Promise<RoundSummary> {
  const summary: RoundSummary = {
    received: 0,
    malformed: 0,
    refreshes: 0,
    unlinked: 0,
    deferred: 0,
    deleted: 0,
    alerts: 0,
  };
  const messages = await gather(deps);
  summary.received = messages.length;
  if (messages.length === 0) return summary;
  const receivedAt = new Date();

  const events: ChangeEvent[] = [];
  const messagesOf = new Map<string, QueueMessage[]>();
  for (const m of messages) {
    let body: unknown;
    try {
      body = JSON.parse(m.body);
    } catch {
      body = undefined;
    }
    const parsed = body === undefined ? { ok: false as const, reason: "the body is not JSON" } : parseChangeEvent(body);
    if (!parsed.ok) {
      summary.malformed++;
      // Left on the queue: after maxReceiveCount deliveries SQS moves it to the dead-letter queue.
      logger.warn(
        { messageId: m.messageId, receiveCount: m.receiveCount, reason: parsed.reason },
        "bucket-change message refused",
      );
      continue;
    }
    events.push(parsed.event);
    const list = messagesOf.get(parsed.event.eventId);
    if (list) list.push(m);
    else messagesOf.set(parsed.event.eventId, [m]);
  }

  const done: QueueMessage[] = [];
  const finish = (evs: ChangeEvent[]) => {
    for (const e of evs) done.push(...(messagesOf.get(e.eventId) ?? []));
  };
  const { refreshes, refusedOnly } = planRefreshes(events);
  if (refusedOnly.length) {
    try {
      await recordRefusedEvents(deps.db, refusedOnly, receivedAt);
      finish(refusedOnly);
    } catch (err) {
      logger.error({ err }, "could not record refused bucket-change calls");
    }
  }

  const notify = deps.notify ?? defaultNotify(deps.db);
  await mapWithConcurrency(refreshes, deps.concurrency ?? 4, async (refresh: PlannedRefresh) => {
    let outcome: RefreshOutcome;
    try {
      outcome = await refreshFromEvents(deps.db, deps, refresh, receivedAt);
    } catch (err) {
      outcome = { status: "failed", reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    const where = { accountId: refresh.accountId, target: refresh.target, events: refresh.events.length };
    if (outcome.status === "unlinked") {
      summary.unlinked++;
      logger.info(where, "bucket-change events for an account that is not linked: ignored");
      finish(refresh.events);
      return;
    }
    if (outcome.status !== "refreshed") {
      summary.deferred++;
      logger.warn({ ...where, outcome }, "bucket-change refresh deferred; the events stay on the queue");
      return;
    }
    summary.refreshes++;
    finish(refresh.events);
    if (outcome.bucketId !== null && refresh.target.kind === "bucket") {
      const alerts = worsened(
        { id: outcome.bucketId, name: refresh.target.bucketName, accountId: refresh.accountId },
        outcome.before,
        outcome.after,
      );
      if (alerts.length) {
        summary.alerts += alerts.length;
        // The newest event that changed something is the cause named in the alert.
        const cause = [...refresh.events].reverse().find((e) => e.errorCode === null) ?? refresh.events[0]!;
        await notify({ refreshId: outcome.refreshId, events: alerts, cause }).catch((err: unknown) =>
          logger.error({ err, refreshId: outcome.refreshId }, "could not deliver a bucket-change alert"),
        );
      }
    }
  });

  if (done.length) {
    try {
      const failed = await deps.queue.delete(done);
      summary.deleted = done.length - failed.length;
      if (failed.length)
        logger.warn({ failed }, "some handled messages could not be deleted; they will be handled again");
    } catch (err) {
      // Not deleted means delivered again: harmless, the refresh is idempotent.
      logger.warn({ err }, "could not delete handled messages; they will be handled again");
    }
  }
  return summary;
}

/** Rounds until the signal aborts; a failing round (the queue unreachable) is logged and retried after a pause. */
export async function runEventConsumer(deps: ConsumerDeps, onRound?: (s: RoundSummary) => void): Promise<void> {
  const withSessions = { ...deps, sessions: deps.sessions ?? createSessionCache(deps.connector) };
  while (!deps.signal?.aborted) {
    try {
      const summary = await consumeRound(withSessions);
      if (summary.received) onRound?.(summary);
    } catch (err) {
      if (deps.signal?.aborted) break;
      logger.error({ err }, "bucket-change queue round failed; retrying in 5 s");
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}
