/** Webhook egress: which addresses a webhook may reach, at save time and at delivery time (DNS rebinding). */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { WebhookUrlSchema } from "@/lib/schemas/webhooks";
import { checkWebhookHost, isPublicAddress, postWebhook } from "@/lib/net/webhook-egress";

describe("address classifier", () => {
  it.each([
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "0.1.2.3",
    "255.255.255.255",
    "224.0.0.1",
    "240.0.0.1",
    "192.0.2.1",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
    "2001:db8::1",
    "not an address",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "52.95.110.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001::200e",
    "::ffff:8.8.8.8",
  ])("%s is public", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("webhook URLs at save time", () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.5/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://2130706433/hook", // 127.0.0.1 as one number
    "https://0x7f.1/hook",
    "https://localhost/hook",
    "https://api.localhost/hook",
    "http://localhost:6379/",
  ])("refuses %s", (url) => {
    const r = WebhookUrlSchema.safeParse(url);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/private|loopback|internal|https/i);
  });

  it("allows internal targets (and plain http to this machine) only with CUSTODY_WEBHOOK_ALLOW_PRIVATE=true", () => {
    vi.stubEnv("CUSTODY_WEBHOOK_ALLOW_PRIVATE", "true");
    expect(WebhookUrlSchema.safeParse("https://10.0.0.5/hook").success).toBe(true);
    expect(WebhookUrlSchema.safeParse("http://localhost:9000/hook").success).toBe(true);
    expect(WebhookUrlSchema.safeParse("http://hooks.example.com/x").success).toBe(false);
  });

  it("checks what a name resolves to", async () => {
    const resolve = async (host: string) =>
      host === "internal.example" ? [{ address: "10.1.2.3", family: 4 }] : [{ address: "93.184.215.14", family: 4 }];
    await expect(checkWebhookHost("internal.example", { resolve })).resolves.toMatch(
      /internal\.example resolves to 10\.1\.2\.3/,
    );
    await expect(checkWebhookHost("hooks.example.com", { resolve })).resolves.toBeNull();
    // A name that does not resolve now is left to the delivery-time check.
    await expect(
      checkWebhookHost("nowhere.example", { resolve: async () => Promise.reject(new Error("ENOTFOUND")) }),
    ).resolves.toBeNull();
  });
});

describe("delivery", () => {
  let server: http.Server;
  let port = 0;
  let requests = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const toLoopback = async () => [{ address: "127.0.0.1", family: 4 }];

  it("refuses a name that resolves to 127.0.0.1 (DNS rebinding) without connecting", async () => {
    requests = 0;
    const r = await postWebhook(`http://rebind.example:${port}/hook`, "{}", {
      timeoutMs: 2000,
      allowPrivate: false,
      resolve: toLoopback,
      allowHttp: true,
    });
    expect(r).toMatchObject({
      httpStatus: null,
      error: expect.stringMatching(/rebind\.example resolves to 127\.0\.0\.1/),
    });
    expect(requests).toBe(0);
  });

  it("refuses a literal private address without connecting", async () => {
    requests = 0;
    const r = await postWebhook(`http://127.0.0.1:${port}/hook`, "{}", {
      timeoutMs: 2000,
      allowPrivate: false,
      allowHttp: true,
    });
    expect(r.error).toMatch(/127\.0\.0\.1/);
    expect(requests).toBe(0);
  });

  it("connects to exactly the checked address when allowed, and follows no redirect", async () => {
    requests = 0;
    const r = await postWebhook(`http://rebind.example:${port}/hook`, "{}", {
      timeoutMs: 2000,
      allowPrivate: true,
      resolve: toLoopback,
      allowHttp: true,
    });
    expect(r).toEqual({ httpStatus: 204, error: null });
    expect(requests).toBe(1);
  });
});
