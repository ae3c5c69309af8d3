import { describe, expect, it } from "vitest";
import { normalizeAddress, parseTrustedProxies, resolveClientAddress } from "./client-address";

function proxies(value: string) {
  const parsed = parseTrustedProxies(value);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.proxies;
}

describe("parseTrustedProxies", () => {
  it("accepts addresses and CIDR blocks of both families, and nothing", () => {
    expect(parseTrustedProxies("").ok).toBe(true);
    expect(parseTrustedProxies(undefined).ok).toBe(true);
    const p = proxies(" 10.0.0.1, 172.16.0.0/12 ,::1,fd00::/8");
    expect(p.check("10.0.0.1", "ipv4")).toBe(true);
    expect(p.check("172.31.255.1", "ipv4")).toBe(true);
    expect(p.check("172.32.0.1", "ipv4")).toBe(false);
    expect(p.check("fd12::5", "ipv6")).toBe(true);
  });

  it.each(["localhost", "10.0.0.1/33", "10.0.0.0/8/1", "::1/129", "10.0.0.0/x", "1.2.3", "10.0.0.0/-1"])(
    "refuses %j",
    (value) => {
      expect(parseTrustedProxies(value).ok).toBe(false);
    },
  );
});

describe("normalizeAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["[::1]", "::1"],
    ["FD00::1", "fd00::1"],
    ["=cmd|' /C calc'!A0", null],
    ["", null],
    [null, null],
  ])("%j → %j", (input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });
});

describe("resolveClientAddress", () => {
  const none = proxies("");

  it("uses the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress({ peer: "198.51.100.7", forwardedFor: "203.0.113.9", trustedProxies: none })).toBe(
      "198.51.100.7",
    );
    expect(
      resolveClientAddress({ peer: "::ffff:127.0.0.1", forwardedFor: "=cmd|' /C calc'!A0", trustedProxies: none }),
    ).toBe("127.0.0.1");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(
      resolveClientAddress({ peer: "198.51.100.7", forwardedFor: "203.0.113.9", trustedProxies: proxies("10.0.0.1") }),
    ).toBe("198.51.100.7");
  });

  it("steps left through trusted proxies only, to the first address none of them added", () => {
    const trusted = proxies("10.0.0.1, 10.0.1.0/24");
    // client spoofed "1.1.1.1"; the edge proxy appended the real client 203.0.113.9, the inner proxy 10.0.1.5
    expect(
      resolveClientAddress({
        peer: "10.0.0.1",
        forwardedFor: "1.1.1.1, 203.0.113.9, 10.0.1.5",
        trustedProxies: trusted,
      }),
    ).toBe("203.0.113.9");
  });

  it("stops at the last proxy when a forwarded entry is not an address", () => {
    const trusted = proxies("10.0.0.1");
    expect(resolveClientAddress({ peer: "10.0.0.1", forwardedFor: '=HYPERLINK("x")', trustedProxies: trusted })).toBe(
      "10.0.0.1",
    );
    expect(resolveClientAddress({ peer: "10.0.0.1", forwardedFor: null, trustedProxies: trusted })).toBe("10.0.0.1");
  });

  it("has no address without a peer", () => {
    expect(resolveClientAddress({ peer: null, forwardedFor: "203.0.113.9", trustedProxies: none })).toBeNull();
  });
});
