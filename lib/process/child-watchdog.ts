/**
 * Children that die with their parent. `npm start` runs the web server and the embedded Postgres as child
 * processes; a SIGKILL (or OOM kill) of the main process gives it no chance to stop them, and both kept running.
 *   - Node children: `exitWithParentEnv` preloads exit-with-parent.mjs, which stops the process when the main
 *     process is gone (it reaches grandchildren too: they inherit the environment).
 *   - Postgres cannot be preloaded: `guardPostgres` starts a tiny detached watcher that sends the postmaster SIGINT
 *     (fast shutdown) when the main process is gone. The next start also finds and stops a Postgres whose owner
 *     died (embedded-postgres.ts), should the watcher itself have been killed.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

export function exitWithParentEnv(env: NodeJS.ProcessEnv, parentPid: number = process.pid): NodeJS.ProcessEnv {
  const preload = pathToFileURL(path.join(import.meta.dirname, "exit-with-parent.mjs")).href;
  return {
    ...env,
    CUSTODY_PARENT_PID: String(parentPid),
    NODE_OPTIONS: [env.NODE_OPTIONS, `--import=${preload}`].filter(Boolean).join(" "),
  };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const GUARD = `
const [owner, postmaster] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === "EPERM"; } };
setInterval(() => {
  if (!alive(postmaster)) process.exit(0);
  if (!alive(owner)) { try { process.kill(postmaster, "SIGINT"); } catch {} process.exit(0); }
}, 500);
`;

/** Stop the postmaster when `ownerPid` dies. Returns the watcher's pid. */
export function guardPostgres(postmasterPid: number, ownerPid: number = process.pid): number | undefined {
  const child = spawn(process.execPath, ["-e", GUARD, String(ownerPid), String(postmasterPid)], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return child.pid;
}
