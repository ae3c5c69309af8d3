/**
 * npm start — run Custody.
 *   - DATABASE_URL unset → an embedded Postgres under .custody/ and, on first start, the demo organisation loaded
 *     through the real ingest path (fixture AWS → collectors → load → evaluation).
 *   - DATABASE_URL set → that Postgres; the demo is loaded only by `npm run demo:load`.
 * Migrations are applied on every start. The web server is built on first start (and whenever sources changed).
 * Ctrl-C stops the web server and the embedded Postgres cleanly. If this process is killed outright, they stop
 * themselves (lib/process/child-watchdog.ts), and the next start cleans up whatever was left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/prisma";
import { configuredDatabaseUrl, orExitOnInvalidEnv, settingsFrom } from "@/lib/env";
import { customDataDir, takeOverShutdownSignals } from "@/lib/db/embedded-postgres";
import { resolveDatabase } from "@/lib/db/resolve-database";
import { applyMigrations } from "@/lib/db/schema-engine";
import { exitWithParentEnv } from "@/lib/process/child-watchdog";
import { demoLoginLines, ensureDemoPasswords, isDatabaseEmpty, loadDemoOrganisation } from "@/lib/demo/load-demo";
import { demoChangesFrom, eventsQueueFor } from "@/lib/events/demo-change";
import { connectorModeFrom, createConnector } from "@/lib/sources/connector-factory";
import { startSyncWorker, type SyncWorker } from "@/lib/sync/jobs/worker";
import { workerSettingsFrom } from "@/lib/sync/jobs/worker-settings";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { buildIfStale } from "./build-if-stale";
import { displayUrl, listenHost } from "./listen-host";

const dev = process.argv.includes("--dev");
const settings = orExitOnInvalidEnv(() => settingsFrom());
const port = settings.PORT;
const say = (line: string) => console.log(`[custody] ${line}`);

async function main() {
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`Custody needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
    process.exit(1);
  }

  if (!orExitOnInvalidEnv(() => configuredDatabaseUrl())) {
    const dir = customDataDir();
    const inProject = dir === path.resolve(".custody");
    say(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${inProject ? ".custody/" : dir}) …`);
    if (!inProject && !settings.CUSTODY_DATA_DIR) {
      say(
        `(running as root in a folder the "postgres" user cannot enter, so the data lives in ${dir}; set CUSTODY_DATA_DIR to choose)`,
      );
    }
  }
  const database = await resolveDatabase();
  takeOverShutdownSignals(); // we stop the web server and the worker before the database, not all at once
  // The demo (embedded database) talks to the fixture AWS unless told otherwise, so linking, testing and syncing
  // accounts work out of the box; with your own DATABASE_URL Custody talks to real AWS.
  if (database.embedded && settings.CUSTODY_FIXTURE_AWS === undefined) process.env.CUSTODY_FIXTURE_AWS = "demo";
  let web: ChildProcess | null = null;
  let worker: SyncWorker | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    database.stopRestarting(); // Ctrl-C reaches the embedded Postgres too: that is not a crash to recover from
    say("stopping …");
    if (web?.pid) {
      // The web server (`next start` and its next-server child, one process group) holds database connections
      // too: stop the whole group and wait until it is gone before the database goes away.
      const group = -web.pid;
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      if (alive()) process.kill(group, "SIGTERM");
      for (let waited = 0; alive() && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      if (alive()) process.kill(group, "SIGKILL");
    }
    say("web server stopped; stopping the sync worker …");
    await worker
      ?.stop()
      .catch((e: unknown) => say(`worker did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`));
    say("sync worker stopped; stopping the database …");
    await database.stop();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    const applied = await applyMigrations(database.url);
    if (applied.length) say(`applied ${applied.length} database migration(s)`);
    const prisma = createPrismaClient(database.url);
    await ensureDefaultScheme(prisma);

    let demoLines: string[] = [];
    if (database.embedded) {
      if (await isDatabaseEmpty(prisma)) {
        say("empty database: loading the demo organisation through the ingest path …");
        const summary = await loadDemoOrganisation(prisma, { log: say });
        say(
          `demo loaded: ${summary.accounts} accounts, ${summary.buckets} buckets (${summary.failedAccounts} account(s) could not be read)`,
        );
      }
      await ensureDemoPasswords(prisma);
      demoLines = await demoLoginLines(prisma);
    } else if ((await prisma.user.count()) === 0) {
      say("no users yet: create the first admin with  npm run user:create -- --email you@example.com --role admin");
    }
    // The in-process sync worker (more: `npm run worker` against the same DATABASE_URL).
    const mode = connectorModeFrom();
    worker = await startSyncWorker({
      client: prisma,
      databaseUrl: database.url,
      connectorFactory: () => createConnector(mode, undefined, { demoChanges: demoChangesFrom(prisma) }),
      events: eventsQueueFor(prisma, mode),
      ...workerSettingsFrom(),
      log: say,
    });
    say(
      `sync worker running against ${mode === "aws" ? "AWS (the SDK's credential chain)" : "the fixture AWS (CUSTODY_FIXTURE_AWS=demo)"}`,
    );

    if (!dev) buildIfStale(say);

    const host = listenHost(database.embedded);
    web = spawn(
      path.join("node_modules", ".bin", "next"),
      [dev ? "dev" : "start", "-p", String(port), ...(host ? ["-H", host] : [])],
      {
        stdio: ["ignore", "pipe", "inherit"],
        detached: true, // own process group, so stopping it also stops next-server
        // The web server (and its next-server child) stop themselves if this process dies without stopping them.
        env: exitWithParentEnv({
          ...process.env,
          DATABASE_URL: database.url,
          NEXT_TELEMETRY_DISABLED: "1",
          NODE_ENV: dev ? "development" : "production",
        }),
      },
    );
    let announced = false;
    web.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (!announced && /Ready|ready|started server/.test(chunk.toString())) {
        announced = true;
        say(`Custody is running at ${displayUrl(host, port)}`);
        if (host === "127.0.0.1" && !settings.HOST)
          say("listening on 127.0.0.1 only (the demo); set HOST=0.0.0.0 to open it to your network");
        for (const line of demoLines) say(line);
        say("press Ctrl-C to stop");
      }
    });
    web.on("exit", (code) => {
      if (!stopping) {
        console.error(`[custody] the web server exited (code ${code}).`);
        void stop(code ?? 1);
      }
    });
  } catch (error) {
    console.error(`[custody] ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main();
