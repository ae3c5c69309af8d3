import { describe, expect, it } from "vitest";
import { workerSettingsFrom } from "@/lib/sync/jobs/worker-settings";
import { readFileSync } from "node:fs";
import path from "node:path";
import { configuredDatabaseUrl, ENVIRONMENT_VARIABLES, EnvError, parseEnv, settingsFrom, type EnvSource } from "./env";

const base: EnvSource = { DATABASE_URL: "postgresql://localhost/custody", NODE_ENV: "test" };

describe("CUSTODY_TRUSTED_PROXIES", () => {
  it("defaults to no trusted proxy", () => {
    expect(parseEnv(base).CUSTODY_TRUSTED_PROXIES).toBe("");
  });

  it("accepts addresses and CIDR blocks", () => {
    expect(parseEnv({ ...base, CUSTODY_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8, ::1" }).CUSTODY_TRUSTED_PROXIES).toBe(
      "127.0.0.1, 10.0.0.0/8, ::1",
    );
  });

  it("refuses a host name or a bad prefix with a clear message", () => {
    expect(() => parseEnv({ ...base, CUSTODY_TRUSTED_PROXIES: "proxy.internal" })).toThrow(EnvError);
    expect(() => parseEnv({ ...base, CUSTODY_TRUSTED_PROXIES: "10.0.0.0/40" })).toThrow(
      /CUSTODY_TRUSTED_PROXIES: "10.0.0.0\/40" has an invalid prefix length/,
    );
  });
});

describe("one validated environment", () => {
  it("treats an empty variable as unset", () => {
    const parsed = parseEnv({ ...base, CUSTODY_WORKER_CONCURRENCY: "", CUSTODY_PUBLIC_URL: "" });
    expect(parsed.CUSTODY_WORKER_CONCURRENCY).toBe(8);
    expect(parsed.CUSTODY_PUBLIC_URL).toBeUndefined();
  });

  it("validates the worker tuning with a message naming the variable", () => {
    expect(() => settingsFrom({ CUSTODY_WORKER_CONCURRENCY: "lots" })).toThrow(
      /CUSTODY_WORKER_CONCURRENCY must be a number/,
    );
    expect(() => settingsFrom({ CUSTODY_SYNC_GLOBAL_CONCURRENCY: "0" })).toThrow(
      /CUSTODY_SYNC_GLOBAL_CONCURRENCY must be at least 1/,
    );
    expect(() => settingsFrom({ CUSTODY_REGIONS: "us-east-1,Europe" })).toThrow(/CUSTODY_REGIONS must list regions/);
  });

  it("maps the worker settings the README documents (8 jobs per worker, 32 across all workers)", () => {
    expect(workerSettingsFrom({})).toEqual({
      concurrency: 8,
      maxCallsInFlight: 256,
      globalConcurrency: 32,
      pollingIntervalSeconds: 2,
      jobTimeoutSeconds: 120 * 60,
      syncOptions: undefined,
    });
    expect(workerSettingsFrom({ CUSTODY_REGIONS: "eu-west-1, us-east-1" }).syncOptions).toEqual({
      regions: ["eu-west-1", "us-east-1"],
    });
  });

  it("reads DATABASE_URL only when set, and refuses one that is not PostgreSQL", () => {
    expect(configuredDatabaseUrl({})).toBeNull();
    expect(configuredDatabaseUrl({ DATABASE_URL: "  " })).toBeNull();
    expect(configuredDatabaseUrl({ DATABASE_URL: " postgresql://db/custody " })).toBe("postgresql://db/custody");
    expect(() => configuredDatabaseUrl({ DATABASE_URL: "mysql://db/custody" })).toThrow(
      /DATABASE_URL must start with postgresql:\/\//,
    );
  });

  it("settingsFrom does not require DATABASE_URL; env's schema does", () => {
    expect(() => settingsFrom({})).not.toThrow();
    expect(() => parseEnv({})).toThrow(/DATABASE_URL is required/);
  });
});

describe("README's environment table", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

  it("lists every variable the schema reads", () => {
    const missing = ENVIRONMENT_VARIABLES.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("states the worker defaults the code uses", () => {
    const defaults = settingsFrom({});
    for (const name of ["CUSTODY_WORKER_CONCURRENCY", "CUSTODY_SYNC_GLOBAL_CONCURRENCY"] as const) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `README row for ${name}`).toBeDefined();
      expect(row).toContain(`(default ${defaults[name]}`);
    }
  });
});
