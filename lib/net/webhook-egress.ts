/**
 * Where a webhook may send data. A webhook URL is chosen by an admin, but the request leaves from inside the
 * network Custody runs in: without limits it reaches the cloud metadata service (169.254.169.254), databases on
 * localhost and anything on the private network — and the delivery status tells whether they answered. So only
 * public unicast addresses are allowed, unless CUSTODY_WEBHOOK_ALLOW_PRIVATE=true (an internal Slack relay, tests).
 * Checked when the URL is saved (literal addresses, then what the name resolves to) and again at every delivery
 * against the very address the socket connects to, so a name that resolves differently later (DNS rebinding) gets
 * nowhere. Redirects are never followed.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { settingsFrom } from "@/lib/env";

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** CUSTODY_WEBHOOK_ALLOW_PRIVATE, as lib/env.ts validates it. */
export function webhookPrivateTargetsAllowed(source?: NodeJS.ProcessEnv): boolean {
  return settingsFrom(source).CUSTODY_WEBHOOK_ALLOW_PRIVATE;
}

/**
 * Only globally routable unicast: not loopback, link-local, private (RFC 1918), CGNAT (100.64/10), 0.0.0.0/8,
 * unique-local (fc00::/7), multicast, broadcast, documentation/benchmark/reserved ranges, nor IPv6 forms that embed
 * an IPv4 address (IPv4-mapped is judged as that IPv4 address; NAT64, 6to4 and Teredo are refused outright).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}

/** The URL's host without IPv6 brackets. */
const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();

const isLocalhostName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/** Why a URL's host (as written) may not be a webhook target, or null. Synchronous: names are checked by checkWebhookHost. */
export function literalHostProblem(hostname: string): string | null {
  const host = bareHost(hostname);
  if (isLocalhostName(host)) return `${host} is this machine (loopback)`;
  if (ipaddr.isValid(host) && !isPublicAddress(host))
    return `${host} is a private, loopback, link-local or reserved address`;
  return null;
}

/**
 * Save-time check of a host name: what it resolves to now. A name that does not resolve is accepted (the
 * delivery-time check still guards every connection); a name resolving to any internal address is refused.
 */
export async function checkWebhookHost(hostname: string, options: { resolve?: Resolver } = {}): Promise<string | null> {
  const host = bareHost(hostname);
  const literal = literalHostProblem(host);
  if (literal || ipaddr.isValid(host)) return literal;
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    return null;
  }
  const internal = addresses.filter((a) => !isPublicAddress(a.address));
  return internal.length
    ? `${host} resolves to ${internal.map((a) => a.address).join(", ")}, a private, loopback, link-local or reserved address`
    : null;
}

export interface WebhookPostResult {
  httpStatus: number | null;
  error: string | null;
}

/**
 * POST a JSON body. The socket connects only to an address that passed the check (the check is the socket's own
 * DNS lookup), answers are never followed to another location, and the body of the answer is discarded.
 */
export async function postWebhook(
  url: string,
  body: string,
  options: { timeoutMs: number; allowPrivate?: boolean; resolve?: Resolver; allowHttp?: boolean },
): Promise<WebhookPostResult> {
  const allowPrivate = options.allowPrivate ?? webhookPrivateTargetsAllowed();
  const target = new URL(url);
  if (target.protocol !== "https:" && !(target.protocol === "http:" && (allowPrivate || options.allowHttp))) {
    return { httpStatus: null, error: `Refused: webhook URLs must use https:// (${target.protocol})` };
  }
  const host = bareHost(target.hostname);
  if (!allowPrivate) {
    const problem = literalHostProblem(host);
    if (problem)
      return { httpStatus: null, error: `Refused: ${problem} (set CUSTODY_WEBHOOK_ALLOW_PRIVATE=true to allow)` };
  }
  const resolve = options.resolve ?? systemResolver;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const internal = addresses.filter((a) => !isPublicAddress(a.address));
        if (!allowPrivate && internal.length) {
          const error = Object.assign(
            new Error(
              `Refused: ${hostname} resolves to ${internal.map((a) => a.address).join(", ")}, a private, loopback, link-local or reserved address (set CUSTODY_WEBHOOK_ALLOW_PRIVATE=true to allow)`,
            ),
            { code: "EWEBHOOKPRIVATE" },
          );
          callback(error, "", 4);
          return;
        }
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), "", 4);
          return;
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
  const transport = target.protocol === "https:" ? https : http;
  return new Promise<WebhookPostResult>((settle) => {
    const request = transport.request(
      target,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Custody",
          "content-length": Buffer.byteLength(body),
        },
        lookup,
        signal: AbortSignal.timeout(options.timeoutMs),
        // A fresh connection per delivery: a pooled socket would skip the address check.
        agent: false,
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        settle({
          httpStatus: status,
          error:
            status >= 200 && status < 300
              ? null
              : `The webhook answered HTTP ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}`,
        });
      },
    );
    request.on("error", (error) =>
      settle({
        httpStatus: null,
        error: error.message.startsWith("Refused") ? error.message : `${error.name}: ${error.message}`,
      }),
    );
    request.end(body);
  });
}
