/**
 * Webhook deliveries never reach internal services: a stored URL whose name resolves to this machine (DNS
 * rebinding, or a URL saved before the rule) is refused before any connection, and the refusal is recorded.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/permissions";
import { deliverRunNotifications, WEBHOOK_SETTINGS_KEY } from "@/lib/sync/notifications/deliver-webhooks";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let server: http.Server;
let requests = 0;

beforeAll(async () => {
  db = await scratchDb("webhook_egress");
  server = http.createServer((_req, res) => {
    requests++;
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  server?.close();
  await db.drop();
  vi.unstubAllEnvs();
});

it("an admin cannot save webhook URLs that point at internal services (4xx with the reason, nothing saved)", async () => {
  vi.stubEnv("DATABASE_URL", db.url);
  const { updateWebhooks } = await import("@/lib/server/dal/sync");
  const user = await db.prisma.user.create({
    data: { email: "admin@example.com", name: "Admin", role: "admin", passwordHash: "x" },
    select: { id: true, email: true, name: true },
  });
  const admin: Actor = { ...user, role: "admin" };
  for (const url of [
    "https://169.254.169.254/",
    "https://10.0.0.5/",
    "https://[fd00::1]/",
    "http://localhost:6379/",
    "https://[::ffff:a9fe:a9fe]/",
    "https://localhost:6379/",
  ]) {
    const refused = await updateWebhooks(admin, { urls: [url] }).then(
      () => null,
      (e: unknown) => e as { status?: number; message?: string },
    );
    expect(refused, url).toMatchObject({ status: 400 });
    expect(refused?.message, url).toMatch(/internal services|https:\/\//);
  }
  expect(await db.prisma.appSetting.findUnique({ where: { key: WEBHOOK_SETTINGS_KEY } })).toBeNull();
  expect(await updateWebhooks(admin, { urls: ["https://93.184.215.14/hook"] })).toEqual({ count: 1 });
  await db.prisma.appSetting.delete({ where: { key: WEBHOOK_SETTINGS_KEY } });
});

it("refuses and records deliveries to internal addresses, whether literal or resolved", async () => {
  const port = (server.address() as AddressInfo).port;
  await db.prisma.account.create({
    data: {
      id: "111122223333",
      name: "a",
      ouPath: "/",
      roleArn: "arn:aws:iam::111122223333:role/R",
      externalId: "x".repeat(32),
    },
  });
  const run = await db.prisma.syncRun.create({
    data: { trigger: "manual", status: "succeeded", accountsTotal: 1, finishedAt: new Date() },
  });
  await db.prisma.syncRunAccount.create({
    data: {
      syncRunId: run.id,
      accountId: "111122223333",
      status: "succeeded",
      notifications: [{ kind: "newly-public", bucket: "b", bucketId: 1, accountId: "111122223333" }],
    },
  });
  const urls = [
    `https://rebind.example:${port}/hook`,
    `https://169.254.169.254/latest/meta-data/`,
    `http://127.0.0.1:${port}/hook`,
  ];
  await db.prisma.appSetting.create({ data: { key: WEBHOOK_SETTINGS_KEY, value: { urls } } });

  const result = await deliverRunNotifications(db.prisma, run.id, {
    timeoutMs: 2000,
    resolve: async () => [{ address: "127.0.0.1", family: 4 }],
  });
  expect(result).toMatchObject({ delivered: 0, failed: 3 });
  expect(requests).toBe(0);
  const deliveries = await db.prisma.webhookDelivery.findMany({ where: { syncRunId: run.id }, orderBy: { id: "asc" } });
  expect(deliveries.map((d) => [d.outcome, d.httpStatus])).toEqual([
    ["failed", null],
    ["failed", null],
    ["failed", null],
  ]);
  expect(deliveries[0]!.error).toMatch(/^Refused: rebind\.example resolves to 127\.0\.0\.1/);
  expect(deliveries[1]!.error).toMatch(/^Refused: 169\.254\.169\.254/);
  expect(deliveries[2]!.error).toMatch(/^Refused/);
});
