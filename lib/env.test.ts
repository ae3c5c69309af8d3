import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const base: NodeJS.ProcessEnv = { DATABASE_URL: "postgresql://localhost/custody", NODE_ENV: "test" };

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
