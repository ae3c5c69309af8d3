/**
 * Crash paths of `npm start` (issue 13 #15, #16), on the launcher pieces themselves (a built app is not needed):
 *   - killing the main process with SIGKILL takes its children with it (web server → exit-with-parent preload,
 *     embedded Postgres → its guard);
 *   - if a Postgres is left over anyway, the next start stops it (its owner is dead) instead of refusing;
 *   - a Postgres that dies under a running Custody is restarted on the same port.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningEmbeddedPostgresUrl } from "@/lib/db/embedded-postgres";

interface Launched {
  process: ChildProcess;
  info: { postmaster: number; child: number; url: string };
  lines: string[];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  for (const t0 = Date.now(); !(await check()); await sleep(100)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

describe("npm start's launcher after a crash", () => {
  let dataDir: string;
  const started: number[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "custody-crash-"));
    chmodSync(dataDir, 0o755); // the embedded Postgres runs as "postgres" when the tests run as root
  });
  afterAll(() => {
    for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function launch(): Promise<Launched> {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "tests/support/crash-launcher.ts"],
      {
        env: { ...process.env, CUSTODY_DATA_DIR: dataDir, DATABASE_URL: "" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    started.push(child.pid!);
    const lines: string[] = [];
    const info = await new Promise<Launched["info"]>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        lines.push(line);
        if (line.startsWith("{")) resolve(JSON.parse(line) as Launched["info"]);
      });
      child.once("exit", (code) => reject(new Error(`the launcher exited (${code}): ${lines.join("\n")}`)));
    });
    started.push(info.postmaster, info.child);
    return { process: child, info, lines };
  }

  const kill = async (p: ChildProcess) => {
    p.kill("SIGKILL");
    if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once("exit", r));
  };

  const canQuery = async (url: string) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  it("SIGKILL of the main process: the web-server-like child and the embedded Postgres go away", async () => {
    const first = await launch();
    expect(await canQuery(first.info.url)).toBe(true);
    // While it runs, a CLI (npm run sync, demo:change) uses the Postgres it serves instead of refusing to start one.
    expect(runningEmbeddedPostgresUrl(dataDir)).toBe(first.info.url);
    await kill(first.process);
    await until("the child stopped with its parent", () => !alive(first.info.child), 5_000);
    await until("the embedded Postgres stopped with its owner", () => !alive(first.info.postmaster), 15_000);
    expect(runningEmbeddedPostgresUrl(dataDir)).toBeNull();
  });

  it("a Postgres left running by a dead Custody is stopped by the next start, which then just works", async () => {
    const first = await launch();
    // Kill its guard first, as if the whole process tree but Postgres had been killed at once.
    const guards = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(first.process.pid)], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes(" -e ") && l.includes(String(first.info.postmaster)))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(guards.length).toBe(1);
    for (const g of guards) process.kill(g, "SIGKILL");
    await kill(first.process);
    await sleep(1500);
    expect(alive(first.info.postmaster)).toBe(true); // what the incident found: the old server still running

    const second = await launch();
    expect(second.lines.join("\n")).toMatch(/left its embedded Postgres running \(pid \d+\); stopping it/);
    expect(alive(first.info.postmaster)).toBe(false);
    expect(await canQuery(second.info.url)).toBe(true);

    // Issue 13 #16: Postgres dies under a running Custody → restarted on the same port, same URL works again.
    process.kill(second.info.postmaster, "SIGKILL");
    await until("the embedded Postgres was restarted", () => second.lines.some((l) => /running again/.test(l)), 30_000);
    await until("the same URL answers again", () => canQuery(second.info.url), 10_000);

    second.process.kill("SIGTERM");
    await new Promise((r) => second.process.once("exit", r));
  });
});
