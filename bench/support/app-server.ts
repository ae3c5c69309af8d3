/**
 * The real app for HTTP benchmarks: builds it when stale (CUSTODY_NEXT_DIST_DIR), runs `next start` against the
 * benchmark database, signs a user in (a session created with the app's own session code), and measures requests
 * on loopback — so the time is effectively server time — plus the server process's memory (VmRSS).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Db } from "@/lib/db/prisma";
import { hashPassword } from "@/lib/server/auth/password";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { createSession } from "@/lib/server/auth/session";
import { buildIfStale } from "../../scripts/build-if-stale";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  base: string;
  cookie: string;
  /** The process serving requests (next-server, the child of `next start` when there is one). */
  serverPid: number;
  get(pathname: string): Promise<{ ms: number; status: number; bytes: number }>;
  stop(): Promise<void>;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/** Resident memory of a process in bytes (VmRSS), or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Samples a process's VmRSS every `everyMs` until stopped; returns the baseline, the peak (and when, in ms from the
 * start), and the RSS at each tenth of the sampling time (`course`: a growth that keeps rising with the download is retention or a backlog, one that
 * levels off is the heap sizing itself to the allocation rate).
 */
export function sampleRss(pid: number, everyMs = 50) {
  const baseline = rssBytes(pid) ?? 0;
  let peak = baseline;
  let peakAt = 0;
  const started = performance.now();
  const samples: { at: number; rss: number }[] = [];
  const timer = setInterval(() => {
    const v = rssBytes(pid);
    if (v === null) return;
    if (v > peak) {
      peak = v;
      peakAt = performance.now() - started;
    }
    samples.push({ at: performance.now() - started, rss: v });
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const v = rssBytes(pid);
      if (v !== null && v > peak) peak = v;
      const span = performance.now() - started;
      const course = Array.from({ length: 10 }, (_, i) => {
        const at = ((i + 1) / 10) * span;
        let last = baseline;
        for (const s of samples) if (s.at <= at) last = s.rss;
        return last;
      });
      return { baseline, peak, growth: peak - baseline, course, peakAtMs: peakAt, spanMs: span };
    },
  };
}

export async function startAppServer(
  prisma: Db,
  databaseUrl: string,
  log: (line: string) => void = console.log,
): Promise<AppServer> {
  process.env.CUSTODY_NEXT_DIST_DIR ||= ".next-bench";
  const t = performance.now();
  buildIfStale(log);
  log(`build ready (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const email = "bench-admin@bench.custody.local";
  // upsert: a benchmark may run again on a database it kept (bench/exports.ts --database).
  const user = await prisma.user.upsert({
    where: { email },
    update: {},
    create: { email, name: "Bench admin", role: "admin", passwordHash: await hashPassword("bench-password-4711") },
  });
  const { token } = await createSession(
    prisma,
    user.id,
    { idleMinutes: 600, absoluteHours: 24 },
    { ip: "127.0.0.1", userAgent: "bench" },
  );
  const cookie = `${SESSION_COOKIE}=${token}`;

  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join("node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        CUSTODY_LOG_LEVEL: "warn",
        CUSTODY_FIXTURE_AWS: "demo",
      },
      stdio: ["ignore", "inherit", "inherit"],
      detached: false,
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/api/health`);
      await r.arrayBuffer();
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 600 || child.exitCode !== null) throw new Error("next start did not come up");
    await new Promise((r) => setTimeout(r, 100));
  }
  // `next start` runs the server in a child process (next-server) on some versions; measure that one if present.
  const kids = childrenOf(child.pid!);
  const serverPid =
    kids.find((k) => /next-server/.test(readFileSync(`/proc/${k}/cmdline`, "utf8").replace(/\0/g, " "))) ??
    kids[0] ??
    child.pid!;
  const name = readFileSync(`/proc/${serverPid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  log(`next start on ${base}; serving process pid ${serverPid} (${name.slice(0, 60)})`);

  return {
    base,
    cookie,
    serverPid,
    async get(pathname) {
      const t0 = performance.now();
      const r = await fetch(base + pathname, { headers: { cookie }, redirect: "manual" });
      const body = await r.arrayBuffer();
      return { ms: performance.now() - t0, status: r.status, bytes: body.byteLength };
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
