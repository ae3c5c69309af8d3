import "server-only";
/** Sync runs: start one ("sync now"), watch its progress, its history, and the schedule and webhooks around it. */
import { AppError } from "@/lib/errors";
import { checkWebhookHost, webhookPrivateTargetsAllowed } from "@/lib/net/webhook-egress";
import { parseInput } from "@/lib/schemas/parse-input";
import { WebhookSettingsSchema, type WebhookSettings } from "@/lib/schemas/webhooks";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { authorize, can, type Actor } from "@/lib/server/permissions";
import { syncQueue } from "@/lib/server/sync-queue";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { readWebhookSettings, WEBHOOK_SETTINGS_KEY } from "@/lib/sync/notifications/deliver-webhooks";
import { DEFAULT_SYNC_SCHEDULE, parseSchedule, SYNC_SCHEDULE_KEY } from "@/lib/sync/sync-schedule";

export async function startSync(actor: Actor | null, { accountId }: { accountId?: string }) {
  authorize(actor, "sync:run");
  if (accountId && !(await db().account.findUnique({ where: { id: accountId }, select: { id: true } }))) {
    throw new AppError("not_found", `Account ${accountId} is not linked.`);
  }
  const result = await enqueueSync(db(), await syncQueue(), {
    trigger: "manual",
    accountIds: accountId ? [accountId] : undefined,
    requestedById: actor.id,
  });
  await writeAudit(db(), {
    actor: { id: actor.id, email: actor.email },
    action: "sync.start",
    targetType: accountId ? "account" : "organization",
    targetId: accountId,
    outcome: "success",
    detail: { syncRunId: result.syncRunId, queued: result.queued, alreadySyncing: result.alreadySyncing },
  });
  if (!result.syncRunId) throw new AppError("invalid_input", "There is no enabled account to sync yet.");
  return result;
}

const runSelect = {
  id: true,
  trigger: true,
  status: true,
  requestedAt: true,
  startedAt: true,
  finishedAt: true,
  accountsTotal: true,
  accountsDone: true,
  accountsFailed: true,
  calls: true,
  error: true,
} as const;

/** Everything the Accounts page polls: runs in progress with per-account progress, and the recent history. */
export async function getSyncStatus(actor: Actor | null) {
  authorize(actor, "accounts:read");
  const client = db();
  const [active, history] = await Promise.all([
    client.syncRun.findMany({
      where: { finishedAt: null, accounts: { some: {} } },
      orderBy: { requestedAt: "desc" },
      take: 5,
      select: runSelect,
    }),
    client.syncRun.findMany({ orderBy: { requestedAt: "desc" }, take: 10, select: runSelect }),
  ]);
  const progress = await client.syncRunAccount.findMany({
    where: { syncRunId: { in: active.map((r) => r.id) } },
    orderBy: [{ accountId: "asc" }],
    select: {
      syncRunId: true,
      accountId: true,
      status: true,
      attempts: true,
      startedAt: true,
      finishedAt: true,
      regionsTotal: true,
      regionsDone: true,
      bucketsTotal: true,
      bucketsRead: true,
      errors: true,
      calls: true,
      error: true,
      account: { select: { name: true } },
    },
  });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const run = (r: (typeof history)[number]) => ({
    ...r,
    requestedAt: r.requestedAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  });
  return {
    canRun: can(actor, "sync:run"),
    active: active.map((r) => ({
      ...run(r),
      accounts: progress
        .filter((p) => p.syncRunId === r.id)
        .map(({ account, syncRunId: _run, ...p }) => ({
          ...p,
          name: account.name,
          startedAt: iso(p.startedAt),
          finishedAt: iso(p.finishedAt),
        })),
    })),
    history: history.map(run),
  };
}

export type SyncStatus = Awaited<ReturnType<typeof getSyncStatus>>;

export async function getSyncSettings(actor: Actor | null) {
  authorize(actor, "accounts:read");
  const manage = can(actor, "accounts:manage");
  const row = await db().appSetting.findUnique({ where: { key: SYNC_SCHEDULE_KEY }, select: { value: true } });
  const expression = (row?.value as { expression?: string } | null)?.expression ?? DEFAULT_SYNC_SCHEDULE;
  const parsed = parseSchedule(expression);
  const deliveries = manage
    ? await db().webhookDelivery.findMany({
        orderBy: { at: "desc" },
        take: 10,
        select: { id: true, at: true, url: true, outcome: true, httpStatus: true, error: true, events: true },
      })
    : [];
  return {
    canManage: manage,
    schedule: { expression, label: parsed.ok ? parsed.label : `Invalid (${parsed.message}); the default applies` },
    webhooks: manage ? (await readWebhookSettings(db())).urls : null,
    deliveries: deliveries.map((d) => ({
      ...d,
      at: d.at.toISOString(),
      url: d.url.replace(/\/\/([^/]+)\/.*/, "//$1/…"),
    })),
  };
}

export async function updateSyncSchedule(actor: Actor | null, { expression }: { expression: string }) {
  authorize(actor, "accounts:manage");
  const parsed = parseSchedule(expression);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message);
  await db().appSetting.upsert({
    where: { key: SYNC_SCHEDULE_KEY },
    create: { key: SYNC_SCHEDULE_KEY, value: { expression } },
    update: { value: { expression } },
  });
  await writeAudit(db(), {
    actor: { id: actor.id, email: actor.email },
    action: "settings.sync-schedule",
    targetType: "setting",
    targetId: SYNC_SCHEDULE_KEY,
    outcome: "success",
    detail: { expression, cron: parsed.cron },
  });
  return { expression, label: parsed.label };
}

/** The URLs are checked here for every caller, whatever checked them before: where Custody will send requests is a security decision. */
export async function updateWebhooks(actor: Actor | null, input: WebhookSettings) {
  authorize(actor, "accounts:manage");
  const { urls } = parseInput(WebhookSettingsSchema, input);
  // Literal addresses were checked by the schema; names are checked for what they resolve to now (and again at
  // every delivery, where the connected address itself is checked).
  if (!webhookPrivateTargetsAllowed()) {
    for (const url of urls) {
      const problem = await checkWebhookHost(new URL(url).hostname);
      if (problem)
        throw new AppError(
          "invalid_input",
          `Webhook URLs cannot point at internal services: ${problem}. (CUSTODY_WEBHOOK_ALLOW_PRIVATE=true allows them.)`,
        );
    }
  }
  await db().appSetting.upsert({
    where: { key: WEBHOOK_SETTINGS_KEY },
    create: { key: WEBHOOK_SETTINGS_KEY, value: { urls } },
    update: { value: { urls } },
  });
  // The audit records hosts only: webhook paths often carry a secret token (Slack).
  await writeAudit(db(), {
    actor: { id: actor.id, email: actor.email },
    action: "settings.webhooks",
    targetType: "setting",
    targetId: WEBHOOK_SETTINGS_KEY,
    outcome: "success",
    detail: { hosts: urls.map((u) => new URL(u).host) },
  });
  return { count: urls.length };
}
