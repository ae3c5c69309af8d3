/**
 * After a run finishes: post what got worse to every configured webhook. Each attempt is recorded
 * (WebhookDelivery) and logged; a failing webhook never fails or delays the sync beyond its timeout.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { settings } from "@/lib/env";
import { logger } from "@/lib/logger";
import { postWebhook, type Resolver } from "@/lib/net/webhook-egress";
import type { WebhookSettings } from "@/lib/schemas/webhooks";
import { webhookPayload, type PostureEvent } from "@/lib/sync/notifications/notification-diff";

export const WEBHOOK_SETTINGS_KEY = "notifications.webhooks";

/**
 * What was saved, read loosely: a URL saved before a rule tightened (e.g. an internal address) is still listed,
 * so the admin sees it, and its deliveries are refused and recorded by postWebhook's checks.
 */
const StoredWebhooks = z.object({ urls: z.array(z.url()).max(10) });

export async function readWebhookSettings(client: Db): Promise<WebhookSettings> {
  const row = await client.appSetting.findUnique({ where: { key: WEBHOOK_SETTINGS_KEY }, select: { value: true } });
  const parsed = StoredWebhooks.safeParse(row?.value ?? { urls: [] });
  return parsed.success ? parsed.data : { urls: [] };
}

export async function deliverRunNotifications(
  client: Db,
  syncRunId: string,
  options: { timeoutMs?: number; appUrl?: string | null; resolve?: Resolver } = {},
): Promise<{ events: number; delivered: number; failed: number }> {
  const { urls } = await readWebhookSettings(client);
  const rows = await client.syncRunAccount.findMany({
    where: { syncRunId },
    select: { notifications: true },
    orderBy: { accountId: "asc" },
  });
  const events = rows.flatMap((r) =>
    Array.isArray(r.notifications) ? (r.notifications as unknown as PostureEvent[]) : [],
  );
  if (events.length === 0 || urls.length === 0) return { events: events.length, delivered: 0, failed: 0 };
  const body = JSON.stringify(
    webhookPayload({
      syncRunId,
      finishedAt: new Date(),
      events,
      appUrl: options.appUrl ?? settings().CUSTODY_PUBLIC_URL ?? null,
    }),
  );
  let delivered = 0;
  let failed = 0;
  for (const url of urls) {
    // The address checks (no internal targets unless allowed, the connected address itself checked) are postWebhook's.
    const { httpStatus, error } = await postWebhook(url, body, {
      timeoutMs: options.timeoutMs ?? 10_000,
      resolve: options.resolve,
    }).catch((e: unknown) => ({ httpStatus: null, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }));
    if (error) {
      failed++;
      logger.warn({ syncRunId, webhook: new URL(url).host, httpStatus, error }, "webhook delivery failed");
    } else delivered++;
    await client.webhookDelivery
      .create({
        data: { syncRunId, url, outcome: error ? "failed" : "delivered", httpStatus, error, events: events.length },
      })
      .catch((e: unknown) => logger.error({ err: e }, "could not record a webhook delivery"));
  }
  return { events: events.length, delivered, failed };
}

/** Who caused a change, as CloudTrail recorded it: the bucket-change event behind an event-driven alert. */
export interface ChangeCause {
  eventName: string;
  eventTime: Date;
  actorArn: string | null;
  sourceIp: string | null;
}

/**
 * After a bucket re-read caused by a change event (lib/events): post what got worse, with who did it, to every
 * configured webhook. Recorded like a run's deliveries, under the refresh's id.
 */
export async function deliverChangeNotifications(
  client: Db,
  input: { refreshId: string; events: PostureEvent[]; cause: ChangeCause },
  options: { timeoutMs?: number; appUrl?: string | null; resolve?: Resolver } = {},
): Promise<{ delivered: number; failed: number }> {
  const { urls } = await readWebhookSettings(client);
  if (input.events.length === 0 || urls.length === 0) return { delivered: 0, failed: 0 };
  const payload = webhookPayload({
    syncRunId: input.refreshId,
    finishedAt: new Date(),
    events: input.events,
    appUrl: options.appUrl ?? settings().CUSTODY_PUBLIC_URL ?? null,
  });
  const who = input.cause.actorArn ?? "an unknown caller";
  const from = input.cause.sourceIp ? ` from ${input.cause.sourceIp}` : "";
  const body = JSON.stringify({
    ...payload,
    text: `${payload.text.replace(/^Custody sync finished:/, "Custody saw a bucket change:")}\nCause: ${input.cause.eventName} by ${who}${from} at ${input.cause.eventTime.toISOString()}`,
    cause: { ...input.cause, eventTime: input.cause.eventTime.toISOString() },
  });
  let delivered = 0;
  let failed = 0;
  for (const url of urls) {
    const { httpStatus, error } = await postWebhook(url, body, {
      timeoutMs: options.timeoutMs ?? 10_000,
      resolve: options.resolve,
    }).catch((e: unknown) => ({ httpStatus: null, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }));
    if (error) {
      failed++;
      logger.warn(
        { refreshId: input.refreshId, webhook: new URL(url).host, httpStatus, error },
        "webhook delivery failed",
      );
    } else delivered++;
    await client.webhookDelivery
      .create({
        data: {
          syncRunId: input.refreshId,
          url,
          outcome: error ? "failed" : "delivered",
          httpStatus,
          error,
          events: input.events.length,
        },
      })
      .catch((e: unknown) => logger.error({ err: e }, "could not record a webhook delivery"));
  }
  return { delivered, failed };
}
