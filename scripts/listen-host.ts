import { settingsFrom } from "@/lib/env";

/**
 * The address the web server listens on: HOST when set; else, on the embedded demo default, loopback only — the demo
 * users' password may be known (CUSTODY_DEMO_PASSWORD, shared screenshots), so the demo is not offered to the
 * network unless asked. With your own DATABASE_URL, every interface (null: Next's default).
 */
export function listenHost(embedded: boolean, host = settingsFrom().HOST): string | null {
  const chosen = host?.trim();
  if (chosen) return chosen;
  return embedded ? "127.0.0.1" : null;
}

/** The URL to print for a listen address. */
export function displayUrl(host: string | null, port: number): string {
  const name = host && host !== "0.0.0.0" && host !== "::" ? (host.includes(":") ? `[${host}]` : host) : "localhost";
  return `http://${name}:${port}`;
}
