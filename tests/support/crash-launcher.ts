/**
 * The launcher pieces of `npm start` that matter when it crashes, without building the app: the embedded Postgres
 * (stale detection, guard, restart watchdog) and a child process started the way the web server is. Prints one JSON
 * line {postmaster, child, url} when up, then notices; runs until killed. Env: CUSTODY_DATA_DIR.
 */
import { spawn } from "node:child_process";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { exitWithParentEnv } from "@/lib/process/child-watchdog";

const db = await startEmbeddedPostgres({ notice: (line) => console.log(`notice: ${line}`) });
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
  detached: true,
  stdio: "ignore",
  env: exitWithParentEnv(process.env),
});
console.log(JSON.stringify({ postmaster: db.postmasterPid(), child: child.pid, url: db.url }));
process.on("SIGTERM", () => {
  void db.stop().then(() => process.exit(0));
});
