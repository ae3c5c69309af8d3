/**
 * After a run finishes: post what got worse to every configured webhook. Each attempt is recorded
 * (WebhookDelivery) and logged; a failing webhook never fails or delays the sync beyond its timeout.
 */
import type { Db } from "@/lib/db/prisma";
import { logger } from "@/lib/logger";
import { WebhookSettingsSchema, type WebhookSettings } from "@/lib/schemas/webhooks";
import { webhookPayload, type PostureEvent } from "@/lib/sync/notifications/notification-diff";

export const WEBHOOK_SETTINGS_KEY = "notifications.webhooks";

export async function readWebhookSettings(client: Db): Promise<WebhookSettings> {
  const row = await client.appSetting.findUnique({ where: { key: WEBHOOK_SETTINGS_KEY }, select: { value: true } });
  const parsed = WebhookSettingsSchema.safeParse(row?.value ?? { urls: [] });
  return parsed.success ? parsed.data : { urls: [] };
}

export async function deliverRunNotifications(
  client: Db,
  syncRunId: string,
  options: { timeoutMs?: number; appUrl?: string | null; fetchImpl?: typeof fetch } = {},
): Promise<{ events: number; delivered: number; failed: number }> {
  const { urls } = await readWebhookSettings(client);
  const rows = await client.syncRunAccount.findMany({ where: { syncRunId }, select: { notifications: true }, orderBy: { accountId: "asc" } });
  const events = rows.flatMap((r) => (Array.isArray(r.notifications) ? (r.notifications as unknown as PostureEvent[]) : []));
  if (events.length === 0 || urls.length === 0) return { events: events.length, delivered: 0, failed: 0 };
  const body = JSON.stringify(webhookPayload({ syncRunId, finishedAt: new Date(), events, appUrl: options.appUrl ?? process.env.CUSTODY_PUBLIC_URL ?? null }));
  const doFetch = options.fetchImpl ?? fetch;
  let delivered = 0;
  let failed = 0;
  for (const url of urls) {
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Custody" },
        body,
        redirect: "error",
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      httpStatus = res.status;
      if (!res.ok) error = `The webhook answered HTTP ${res.status}`;
      await res.body?.cancel().catch(() => {});
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    if (error) {
      failed++;
      logger.warn({ syncRunId, webhook: new URL(url).host, httpStatus, error }, "webhook delivery failed");
    } else delivered++;
    await client.webhookDelivery
      .create({ data: { syncRunId, url, outcome: error ? "failed" : "delivered", httpStatus, error, events: events.length } })
      .catch((e: unknown) => logger.error({ err: e }, "could not record a webhook delivery"));
  }
  return { events: events.length, delivered, failed };
}
