/**
 * Which address a request comes from (issue 13 item 2). Pure, so the rules are unit-tested.
 *
 * The only address nobody can forge is the TCP peer. `next start` (16.x) does not give it to the app: it copies the
 * socket address into X-Forwarded-For only when the client sent none (`??=`), so a client-supplied value arrives
 * unchanged and the peer is lost. `lib/peer-address-hook.ts` (loaded by instrumentation.ts) therefore stamps the peer into PEER_ADDRESS_HEADER from the
 * socket (overwriting whatever the client sent under that name) before Next sees the request.
 *
 * Forwarding headers count only behind trusted proxies (CUSTODY_TRUSTED_PROXIES): start at the peer; while the
 * address in hand is a trusted proxy, step one entry left in X-Forwarded-For (each proxy appends the address it was
 * reached from). X-Real-IP is never read. A forwarded entry that is not an IP address ends the walk at the last
 * proxy, so no attacker-chosen text can become "the address".
 */
import { BlockList, isIP } from "node:net";

export const PEER_ADDRESS_HEADER = "x-custody-peer-address";

export type TrustedProxies = BlockList;

/** "10.0.0.1, 10.1.0.0/16, ::1, fd00::/8" → a BlockList; every entry must be an IP address or a CIDR block. */
export function parseTrustedProxies(
  value: string | undefined,
): { ok: true; proxies: TrustedProxies } | { ok: false; error: string } {
  const proxies = new BlockList();
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = "", prefix, ...rest] = entry.split("/");
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (!family || rest.length) return { ok: false, error: `"${entry}" is not an IP address or CIDR block` };
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      proxies.addAddress(address, type);
      continue;
    }
    const length = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || length > bits)
      return { ok: false, error: `"${entry}" has an invalid prefix length (0–${bits})` };
    proxies.addSubnet(address, length, type);
  }
  return { ok: true, proxies };
}

/** An IP address in its plain form (IPv4-mapped IPv6 "::ffff:1.2.3.4" → "1.2.3.4"), or null when it is not one. */
export function normalizeAddress(value: string | null | undefined): string | null {
  let address = value?.trim() ?? "";
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1]!;
  const family = isIP(address);
  if (!family) return null;
  return family === 6 ? address.toLowerCase() : address;
}

export function isTrusted(address: string, proxies: TrustedProxies): boolean {
  return proxies.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/** The client's address: the peer, or — behind trusted proxies — the rightmost forwarded address no trusted proxy added. */
export function resolveClientAddress(input: {
  peer: string | null | undefined;
  forwardedFor: string | null | undefined;
  trustedProxies: TrustedProxies;
}): string | null {
  let address = normalizeAddress(input.peer);
  if (!address) return null;
  const hops = (input.forwardedFor ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  while (isTrusted(address, input.trustedProxies) && hops.length) {
    const next = normalizeAddress(hops.pop());
    if (!next) break;
    address = next;
  }
  return address;
}
