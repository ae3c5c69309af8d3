/**
 * Database gone, then back (issue 13 #16). A second web server talks to the e2e database through a relay this
 * spec can cut: with the database unreachable, /api/health answers 503 with a reason and a page says "Database
 * unreachable — retrying" (not Next's generic error); when the database is back the page recovers by itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { SESSION_COOKIE } from "../lib/auth/cookie-names";

test.describe.configure({ mode: "serial" });

let relay: net.Server;
let relayUp = true;
const sockets = new Set<net.Socket>();
let web: ChildProcess;
let baseURL = "";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const target = new URL(process.env.DATABASE_URL!);
  relay = net.createServer((client) => {
    if (!relayUp) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  const relayed = new URL(target);
  relayed.hostname = "127.0.0.1";
  relayed.port = String((relay.address() as net.AddressInfo).port);

  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  web = spawn("node_modules/.bin/next", ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: relayed.toString() },
    stdio: "ignore",
    detached: true,
  });
  for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 250))) {
    const ok = await fetch(`${baseURL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() - t0 > 90_000) throw new Error("the second web server did not come up");
  }
});

test.afterAll(async () => {
  if (web?.pid) {
    try {
      process.kill(-web.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
  for (const s of sockets) s.destroy();
  relay?.close();
});

const cutDatabase = () => {
  relayUp = false;
  for (const s of sockets) s.destroy();
};

test("with the database gone: health 503 with a reason, a clear retrying page, and recovery by itself", async ({
  page,
  context,
}) => {
  cutDatabase();
  const health = await fetch(`${baseURL}/api/health`);
  expect(health.status).toBe(503);
  expect(health.headers.get("cache-control")).toMatch(/no-store/);
  expect(await health.json()).toMatchObject({
    status: "database-unreachable",
    reason: expect.stringMatching(/connection|reach|closed|refused/),
  });

  // A session cookie (its value does not matter: the database that would check it is gone) gets past the proxy to a
  // page that needs the database.
  await context.addCookies([{ name: SESSION_COOKIE, value: "x".repeat(43), url: baseURL }]);
  await page.goto(`${baseURL}/overview`);
  await expect(page.getByRole("heading", { name: "Database unreachable — retrying" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("This page couldn’t load")).toHaveCount(0);

  // Back: the page notices by itself; the made-up session is then refused, so it lands on the sign-in page.
  relayUp = true;
  await expect(page).toHaveURL(/\/login/, { timeout: 20_000 });
});
