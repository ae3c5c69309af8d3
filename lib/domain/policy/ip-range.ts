/**
 * CIDR parsing for aws:SourceIp conditions. AWS's "meaning of public" treats an IP restriction as non-public only
 * when every range is at most as broad as /8 (IPv4) or /32 (IPv6); 0.0.0.0/1 and ::/0 are public. RFC 1918 ranges
 * (10/8, 172.16/12, 192.168/16) are all narrower than /8, so they pass the same test.
 */

export interface ParsedCidr {
  version: 4 | 6;
  prefixLength: number;
}

function parseIpv4(addr: string): boolean {
  const parts = addr.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function parseIpv6(addr: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(addr) || !addr.includes(":")) return false;
  const doubleColons = addr.split("::").length - 1;
  if (doubleColons > 1) return false;
  const groups = addr.split(":").filter((g) => g.length > 0);
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g) && !parseIpv4(g))) return false;
  return doubleColons === 1 ? groups.length < 8 : groups.length === 8 || (groups.length === 7 && parseIpv4(groups[6]!));
}

export function parseCidr(value: string): ParsedCidr | null {
  const [addr, prefix, extra] = value.trim().split("/");
  if (addr === undefined || extra !== undefined) return null;
  const version = parseIpv4(addr) ? 4 : parseIpv6(addr) ? 6 : null;
  if (version === null) return null;
  const max = version === 4 ? 32 : 128;
  if (prefix === undefined) return { version, prefixLength: max };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return null;
  return { version, prefixLength: Number(prefix) };
}

/** Why a range is too broad to count as a restriction, or null when it restricts. */
export function broadRangeReason(value: string): string | null {
  const cidr = parseCidr(value);
  if (!cidr) return `"${value}" is not a valid IP address or CIDR range`;
  if (cidr.version === 4 && cidr.prefixLength < 8) {
    return cidr.prefixLength === 0
      ? `${value} is the whole IPv4 internet`
      : `${value} is broader than /8, which AWS counts as public`;
  }
  if (cidr.version === 6 && cidr.prefixLength < 32) {
    return cidr.prefixLength === 0
      ? `${value} is the whole IPv6 internet`
      : `${value} is broader than /32, which AWS counts as public`;
  }
  return null;
}
