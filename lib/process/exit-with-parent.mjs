// Preloaded (node --import) into the processes `npm start` launches, e.g. the Next.js web server and its
// next-server child. A process killed with SIGKILL cannot stop its children, and these would keep serving (health
// 200, no worker) and keep the port, so the next `npm start` failed. Each of them watches Custody's main process
// (CUSTODY_PARENT_PID) and stops itself — gracefully first — within a second of it being gone.
// A plain ES module loaded before anything else (it cannot import lib/env.ts): the one variable it needs is set by
// Custody itself (exitWithParentEnv), never by an operator.
// eslint-disable-next-line no-restricted-syntax
const watched = Number(process.env.CUSTODY_PARENT_PID);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM"; // exists, owned by someone else
  }
}

if (Number.isInteger(watched) && watched > 1 && watched !== process.pid) {
  const timer = setInterval(() => {
    if (alive(watched)) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => process.exit(1), 5000).unref();
  }, 500);
  timer.unref();
}
