/**
 * Starts a worker thread whose entry is a TypeScript module, outside a Next build (tsx scripts, vitest).
 *
 * Under `next start` the entry is JavaScript: Turbopack follows `new Worker(new URL("./x.ts", import.meta.url), {…})`
 * and bundles the entry like the rest of the server, so each caller writes that expression itself, literally (with the
 * options passed as a variable Turbopack emitted the `.ts` as a static asset). Elsewhere, Node 20 does not pass a
 * parent's loader hooks (`--import tsx`) to a worker's entry: a small bootstrap loads it through tsx's API instead.
 * (Reflect.construct keeps the bundler from reading that bootstrap as an entry path.)
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

/** `entry`: the worker module's file URL; `parent`: the caller's `import.meta.url` (tsx resolves from it). */
export function startTypeScriptWorker(entry: string, parent: string, options: WorkerOptions): Worker {
  const bootstrap = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(parent)}));`;
  // The react-server condition, as the app's scripts run with: lib/server modules import "server-only", which throws
  // without it. (Conditions add up; vitest's own execArgv may carry others, and aliases "server-only" away only
  // for modules it loads itself.)
  const execArgv = process.execArgv.some((a) => /react-server/.test(a))
    ? process.execArgv
    : [...process.execArgv, "--conditions=react-server"];
  return Reflect.construct(Worker, [bootstrap, { ...options, eval: true, execArgv }]) as Worker;
}
