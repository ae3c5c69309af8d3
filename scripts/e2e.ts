/**
 * npm run test:e2e — Playwright in real Chromium against a production build.
 * Prepares a fresh database (scratch database on DATABASE_URL's server, else an embedded Postgres in a temp
 * folder), loads the demo organisation through the ingest path, builds the app if needed, then runs Playwright,
 * whose webServer starts `next start` against that database.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { createPrismaClient } from "@/lib/db/prisma";
import { demoChangesFrom } from "@/lib/events/demo-change";
import { localEventsQueue } from "@/lib/events/local-queue";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { createFixtureDemoConnector } from "@/lib/sources/connector-factory";
import { startSyncWorker } from "@/lib/sync/jobs/worker";
import { createTestDatabase } from "../tests/support/test-database";
import { buildIfStale } from "./build-if-stale";

const E2E_DEMO_PASSWORD = "e2e-demo-password-4711";

async function findChromium(): Promise<string | null> {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* no browser installed by Playwright */
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function runPlaywright(
  command: string,
  args: string[],
  options: { stdio: "inherit"; env: NodeJS.ProcessEnv },
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    child.on("exit", (status) => resolve(status));
    child.on("error", () => resolve(1));
  });
}

const chromiumPath = await findChromium();
if (!chromiumPath) {
  console.error(
    "No Chromium found for the end-to-end tests.\n" +
      "  Debian/Ubuntu: sudo apt-get install -y chromium   (then /usr/bin/chromium is used)\n" +
      "  elsewhere:     npx playwright install chromium\n" +
      "  or set CHROMIUM_PATH to a Chromium/Chrome executable.",
  );
  process.exit(1);
}

process.env.CUSTODY_DEMO_PASSWORD = E2E_DEMO_PASSWORD;
// The web server (Playwright's webServer inherits this environment) and the worker below use the fixture AWS.
process.env.CUSTODY_FIXTURE_AWS = "demo";
console.log("[e2e] preparing a database with the demo organisation …");
const database = await createTestDatabase("e2e");
let code = 1;
try {
  const prisma = createPrismaClient(database.url);
  const summary = await loadDemoOrganisation(prisma);
  console.log(`[e2e] demo loaded: ${summary.accounts} accounts, ${summary.buckets} buckets`);
  buildIfStale((l) => console.log(`[e2e] ${l}`));
  const port = await freePort();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "custody-e2e-state-"));
  // A sync worker in this process, as `npm start` has: fast polling so "sync now" completes quickly in the tests.
  const worker = await startSyncWorker({
    client: prisma,
    databaseUrl: database.url,
    connectorFactory: () => createFixtureDemoConnector({ demoChanges: demoChangesFrom(prisma) }),
    // Bucket-change events from `demo:change` (e2e/bucket-changes.mutating.spec.ts), as npm start consumes them.
    // A refresh deferred while a sync holds the account (the specs' "Sync now") is retried after 5 s, not SQS's 60.
    events: { queue: localEventsQueue(prisma, { pollMs: 100, visibilitySeconds: 5 }), windowMs: 300 },
    pollingIntervalSeconds: 0.5,
    lockWaitMs: 100,
    progressIntervalMs: 200,
    schedule: false,
    log: () => {},
  });
  // spawnSync would block this process's event loop (and the worker with it): run Playwright asynchronously.
  const result = await runPlaywright("node_modules/.bin/playwright", ["test", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      CHROMIUM_PATH: chromiumPath,
      E2E_PORT: String(port),
      CUSTODY_DEMO_PASSWORD: E2E_DEMO_PASSWORD,
      NEXT_TELEMETRY_DISABLED: "1",
      CUSTODY_LOG_LEVEL: "warn",
      E2E_STATE_DIR: stateDir,
    },
  });
  code = result ?? 1;
  await worker.stop();
  await prisma.$disconnect();
} catch (error) {
  console.error(error);
} finally {
  await database.stop();
}
process.exit(code);
