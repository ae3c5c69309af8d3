/**
 * The CSRF / content-type / size guard is applied by proxy.ts to every request, so no route can forget it. This
 * test finds every route file under app/api, and sends each state-changing export through the proxy itself (or,
 * for the upload route the proxy skips, through the route's own `guardedRoute`): from another origin (403), with a
 * body a cross-site form can send (415), and as the app's own page would (passes).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { config, proxy } from "@/proxy";
import {
  crossOriginSource,
  EVIDENCE_UPLOAD_MAX_BYTES,
  FORM_BODY_ROUTES,
  guardedRoute,
  PROXY_SKIPPED_API_ROUTES,
  refuseRequest,
  STATE_CHANGING_METHODS,
} from "./request-guard";

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP = "http://custody.test:3000";

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(full) : e.name === "route.ts" ? [full] : [];
  });
}

/** Every (method, path) an app/api route file exports, with dynamic segments filled in. */
const ROUTES = routeFiles(path.join(ROOT, "app/api")).flatMap((file) => {
  const source = readFileSync(file, "utf8");
  const urlPath = `/${path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/")}`.replace(
    /\[[^\]]+\]/g,
    "x",
  );
  const methods = [
    ...source.matchAll(/export\s+(?:async\s+function|const)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g),
  ].map((m) => m[1]!);
  return methods.map((method) => ({
    method,
    path: urlPath,
    readsForm: /\.formData\(\)/.test(source),
    wrappedInGuard: new RegExp(`export\\s+const\\s+${method}\\s*=\\s*guardedRoute\\(`).test(source),
  }));
});
const STATE_CHANGING = ROUTES.filter((r) => STATE_CHANGING_METHODS.has(r.method));

function request(method: string, urlPath: string, headers: Record<string, string>, body?: string): NextRequest {
  return new NextRequest(`${APP}${urlPath}`, {
    method,
    headers: { host: "custody.test:3000", cookie: `${SESSION_COOKIE}=t`, ...headers },
    body,
  });
}

describe("every state-changing API route goes through the proxy's guard", () => {
  it("finds the route files (the listing itself works)", () => {
    expect(STATE_CHANGING.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        "POST /api/accounts",
        "POST /api/sync",
        "PUT /api/sync/schedule",
        "POST /api/evidence/verify",
        "POST /api/accounts/x/test-connection",
      ]),
    );
  });

  it("the proxy runs for every API path except the ones whose handlers are wrapped in guardedRoute", () => {
    const matcher = new RegExp(`^${config.matcher[0]!.source}$`);
    for (const r of ROUTES) expect(matcher.test(r.path), r.path).toBe(!PROXY_SKIPPED_API_ROUTES.includes(r.path));
    for (const r of STATE_CHANGING.filter((x) => PROXY_SKIPPED_API_ROUTES.includes(x.path)))
      expect(r.wrappedInGuard, `${r.method} ${r.path}`).toBe(true);
    for (const p of PROXY_SKIPPED_API_ROUTES)
      expect(
        ROUTES.some((r) => r.path === p),
        p,
      ).toBe(true);
  });

  it("routes that read a form are listed with their form types; all others take JSON", () => {
    for (const r of STATE_CHANGING) expect(r.readsForm, `${r.method} ${r.path}`).toBe(r.path in FORM_BODY_ROUTES);
    for (const p of Object.keys(FORM_BODY_ROUTES))
      expect(
        STATE_CHANGING.some((r) => r.path === p),
        p,
      ).toBe(true);
  });

  /** What answers first for this route: the proxy, or (for the routes it skips) the route's guard around a stub handler. */
  const gate = (r: (typeof ROUTES)[number]) =>
    PROXY_SKIPPED_API_ROUTES.includes(r.path)
      ? (req: NextRequest) => guardedRoute(async () => Response.json({ reached: true }, { status: 299 }))(req)
      : async (req: NextRequest) => proxy(req);

  for (const r of STATE_CHANGING) {
    describe(`${r.method} ${r.path}`, () => {
      const send = gate(r);
      const passed = (res: Response) =>
        PROXY_SKIPPED_API_ROUTES.includes(r.path)
          ? res.status === 299
          : res.status === 200 && res.headers.get("x-middleware-next") === "1";
      const ownType = r.readsForm ? FORM_BODY_ROUTES[r.path]!.types[0]! : "application/json";

      it("from another origin: 403", async () => {
        const cases: Record<string, string>[] = [
          { origin: "http://evil.example" },
          { origin: "http://custody.test:3001" },
          { origin: "null" },
          { "sec-fetch-site": "same-site" },
          { "sec-fetch-site": "cross-site", origin: APP },
        ];
        for (const headers of cases) {
          const res = await send(request(r.method, r.path, { ...headers, "content-type": ownType }, "{}"));
          expect(res.status, JSON.stringify(headers)).toBe(403);
          expect(await res.json()).toMatchObject({ error: "cross_origin" });
          expect(res.headers.get("cache-control")).toBe("no-store");
        }
      });

      it("with a body type a cross-site form can send: 415", async () => {
        const types = r.readsForm
          ? ["text/plain", "application/json"]
          : ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"];
        for (const type of types.filter((t) => !FORM_BODY_ROUTES[r.path]?.types.includes(t.split(";")[0]!))) {
          const res = await send(request(r.method, r.path, { origin: APP, "content-type": type }, "{}"));
          expect(res.status, type).toBe(415);
          expect(await res.json()).toMatchObject({ error: "unsupported_media_type" });
        }
      });

      it("from the app's own page: passes to the route", async () => {
        const cases: Record<string, string>[] = [{ origin: APP }, { "sec-fetch-site": "same-origin", origin: APP }, {}];
        for (const headers of cases) {
          const res = await send(request(r.method, r.path, { ...headers, "content-type": ownType }, "{}"));
          expect(passed(res), JSON.stringify(headers)).toBe(true);
          expect(res.headers.get("cache-control")).toBe("no-store");
        }
      });
    });
  }
});

describe("crossOriginSource", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it("trusts Sec-Fetch-Site when the browser sends it", () => {
    expect(crossOriginSource(h({ "sec-fetch-site": "same-origin", origin: "http://other" }))).toBeNull();
    expect(crossOriginSource(h({ "sec-fetch-site": "none" }))).toBeNull();
    expect(crossOriginSource(h({ "sec-fetch-site": "same-site", origin: "http://a.example" }))).toBe(
      "http://a.example",
    );
  });
  it("otherwise compares Origin with the Host (default ports equal) or CUSTODY_PUBLIC_URL", () => {
    expect(crossOriginSource(h({ origin: "https://custody.example.com", host: "custody.example.com:443" }))).toBeNull();
    expect(
      crossOriginSource(
        h({ origin: "https://custody.example.com", host: "127.0.0.1:3000" }),
        "https://custody.example.com/",
      ),
    ).toBeNull();
    expect(
      crossOriginSource(h({ origin: "https://evil.example", host: "127.0.0.1:3000" }), "https://custody.example.com"),
    ).toBe("https://evil.example");
    expect(crossOriginSource(h({ origin: "not a url", host: "x" }))).toBe("not a url");
  });
  it("lets requests from no browser through (no Origin, no Sec-Fetch-Site: nobody's cookie rides along)", () => {
    expect(crossOriginSource(h({ host: "x" }))).toBeNull();
  });
});

describe("body sizes", () => {
  it("refuses an evidence upload announced over the limit with 413, before reading it", () => {
    const refusal = refuseRequest({
      method: "POST",
      pathname: "/api/evidence/verify",
      headers: new Headers({
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(EVIDENCE_UPLOAD_MAX_BYTES + 2 * 1024 * 1024),
      }),
      hasSessionCookie: true,
    });
    expect(refusal).toMatchObject({ status: 413, message: expect.stringContaining("100 MB") });
  });
  it("refuses an anonymous evidence upload before reading it", () => {
    expect(
      refuseRequest({
        method: "POST",
        pathname: "/api/evidence/verify",
        headers: new Headers({ "content-type": "multipart/form-data; boundary=x" }),
        hasSessionCookie: false,
      }),
    ).toMatchObject({ status: 401 });
  });
  it("refuses a JSON body or a server action form over 1 MB with 413", () => {
    const big = String(2 * 1024 * 1024);
    expect(
      refuseRequest({
        method: "POST",
        pathname: "/api/accounts",
        headers: new Headers({ "content-type": "application/json", "content-length": big }),
        hasSessionCookie: true,
      }),
    ).toMatchObject({ status: 413 });
    expect(
      refuseRequest({
        method: "POST",
        pathname: "/settings",
        headers: new Headers({
          "next-action": "abc",
          "content-type": "multipart/form-data; boundary=x",
          "content-length": big,
        }),
        hasSessionCookie: true,
      }),
    ).toMatchObject({ status: 413 });
    expect(
      refuseRequest({
        method: "POST",
        pathname: "/settings",
        headers: new Headers({
          "next-action": "abc",
          "content-type": "multipart/form-data; boundary=x",
          "content-length": "5000",
        }),
        hasSessionCookie: true,
      }),
    ).toBeNull();
  });
  it("next.config.js caps server actions at the guard's limit", async () => {
    // @ts-expect-error next.config.js is plain JavaScript without type declarations
    const { default: nextConfig } = (await import("@/next.config.js")) as {
      default: { experimental: { serverActions: { bodySizeLimit: number } } };
    };
    expect(nextConfig.experimental.serverActions.bodySizeLimit).toBe(1024 * 1024);
  });
  it("leaves reads alone", () => {
    expect(
      refuseRequest({
        method: "GET",
        pathname: "/api/sync",
        headers: new Headers({ origin: "http://evil.example" }),
        hasSessionCookie: true,
      }),
    ).toBeNull();
  });
});

describe("response headers set by the proxy", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("API responses are no-store; pages are left to Next", () => {
    expect(proxy(request("GET", "/api/sync", {})).headers.get("cache-control")).toBe("no-store");
    expect(proxy(request("GET", "/buckets", {})).headers.get("cache-control")).toBeNull();
  });

  it("HSTS only when CUSTODY_PUBLIC_URL is https", () => {
    vi.stubEnv("CUSTODY_PUBLIC_URL", "http://custody.test:3000");
    expect(proxy(request("GET", "/api/sync", {})).headers.get("strict-transport-security")).toBeNull();
    vi.stubEnv("CUSTODY_PUBLIC_URL", "https://custody.example.com");
    for (const p of ["/api/sync", "/buckets", "/login"]) {
      expect(proxy(request("GET", p, {})).headers.get("strict-transport-security"), p).toBe(
        "max-age=31536000; includeSubDomains",
      );
    }
  });
});
