/**
 * The AWS emulator (moto server, ../shared/reference/aws-emulator.md) for collector tests: real SDK serialisation,
 * real error names and real pagination without AWS. Started per test file on a free port; stopped in afterAll.
 * Tests set the emulator's state up with their own SDK clients (writes are test set-up, never the collector's).
 *
 * Where moto is not installed a test file is skipped locally with a message, but CI (CI=true) fails: the CI
 * machine has it, so a skip there would hide a broken set-up.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";

export interface MotoServer {
  endpoint: string;
  /** Credentials moto never issued: their requests act in account 123456789012. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  accountId: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export function motoAvailable(): boolean {
  const probe = spawnSync("python3", ["-c", "import moto.server"], { stdio: "ignore" });
  if (probe.status === 0) return true;
  if (process.env.CI)
    throw new Error("moto is not installed (python3 -m moto.server): the emulator tests need it in CI");
  console.warn("[moto] not installed: skipping the emulator tests (pip install 'moto[server]' to run them)");
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: "ignore",
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  });
  // "localhost", not 127.0.0.1: S3 Control prefixes the host with the account id (aws-emulator.md).
  const endpoint = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) throw new Error(`moto server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("moto server did not answer within 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    credentials: { accessKeyId: "AKIAEMULATORTEST", secretAccessKey: "emulator-secret" },
    accountId: "123456789012",
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
