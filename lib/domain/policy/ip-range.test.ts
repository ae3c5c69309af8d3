import { describe, expect, it } from "vitest";
import { broadRangeReason, parseCidr } from "./ip-range";

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", { version: 4, prefixLength: 8 }],
    ["203.0.113.7", { version: 4, prefixLength: 32 }],
    ["2001:db8::/32", { version: 6, prefixLength: 32 }],
    ["::/0", { version: 6, prefixLength: 0 }],
    ["::1", { version: 6, prefixLength: 128 }],
    ["256.0.0.0/8", null],
    ["10.0.0.0/33", null],
    ["vpc-123", null],
    ["1.2.3.4/8/9", null],
  ])("%s", (value, expected) => expect(parseCidr(value)).toEqual(expected));
});

describe("broadRangeReason", () => {
  it.each([
    ["10.0.0.0/8", null],
    ["172.16.0.0/12", null],
    ["192.168.0.0/16", null],
    ["0.0.0.0/0", "0.0.0.0/0 is the whole IPv4 internet"],
    ["0.0.0.0/1", "0.0.0.0/1 is broader than /8, which AWS counts as public"],
    ["8.0.0.0/7", "8.0.0.0/7 is broader than /8, which AWS counts as public"],
    ["2001:db8::/32", null],
    ["2001::/31", "2001::/31 is broader than /32, which AWS counts as public"],
    ["::/0", "::/0 is the whole IPv6 internet"],
    ["bogus", '"bogus" is not a valid IP address or CIDR range'],
  ])("%s", (value, expected) => expect(broadRangeReason(value)).toBe(expected));
});
