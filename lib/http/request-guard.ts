/**
 * The first gate for every state-changing request, run by proxy.ts before any route handler or server action, so
 * no route can forget it (lib/http/request-guard.test.ts lists every app/api route file and sends each
 * state-changing export through the proxy, or through `guardedRoute` for the upload route the proxy skips):
 *
 * - Cross-site request forgery: a browser marks where a request comes from. `Sec-Fetch-Site` (sent by current
 *   browsers, not settable by page scripts) must be `same-origin` or `none`; without it, `Origin` must be the app's
 *   own origin (the request's Host, or CUSTODY_PUBLIC_URL behind a proxy that rewrites Host). A request carrying
 *   neither comes from no browser (curl, scripts), and only a browser carries someone else's session cookie.
 * - Content type: the JSON routes take `application/json` only — the types an HTML form can send cross-site
 *   (text/plain, form-urlencoded, multipart) are refused, as server actions do; the form routes take their form
 *   types and rely on the origin check above.
 * - Body size: refused from the announced Content-Length (JSON routes and server actions 1 MB, the evidence upload
 *   its own limit) with a clear 413.
 */
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { settingsFrom } from "@/lib/env";
import bodyLimits from "@/lib/http/body-limits.json";

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The largest evidence bundle ZIP /api/evidence/verify reads (a whole-estate bundle is ≈ 40 MB). */
export const EVIDENCE_UPLOAD_MAX_BYTES: number = bodyLimits.evidenceUploadMaxBytes;
/** Room for the multipart framing and the other form fields around the file. */
export const FORM_OVERHEAD_BYTES: number = bodyLimits.formOverheadBytes;
/** JSON API bodies and server action forms (next.config.js sets serverActions.bodySizeLimit from the same file). */
export const SMALL_BODY_MAX_BYTES: number = bodyLimits.smallBodyMaxBytes;

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

interface BodyRule {
  /** Content types (media type only, lowercase) the route reads. */
  types: readonly string[];
  maxBytes: number;
  tooLarge: string;
  /** Refuse requests without a session cookie before their body is read (a large upload from anyone). */
  needsSessionCookie?: boolean;
}

const JSON_BODY: BodyRule = {
  types: ["application/json"],
  maxBytes: SMALL_BODY_MAX_BYTES,
  tooLarge: `The request body is larger than ${mb(SMALL_BODY_MAX_BYTES)}.`,
};

/** API routes whose body is a form rather than JSON; every other state-changing /api route takes JSON. */
export const FORM_BODY_ROUTES: Readonly<Record<string, BodyRule>> = {
  "/api/evidence/verify": {
    types: ["multipart/form-data"],
    maxBytes: EVIDENCE_UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES,
    tooLarge: `file: larger than ${mb(EVIDENCE_UPLOAD_MAX_BYTES)}, the most Custody reads; paste the SHA-256 of the bundle's manifest.json instead.`,
    needsSessionCookie: true,
  },
  // The evidence page's form posts natively (the ZIP downloads as the response).
  "/api/evidence/bundle": {
    types: ["application/x-www-form-urlencoded", "multipart/form-data"],
    maxBytes: SMALL_BODY_MAX_BYTES,
    tooLarge: `The form is larger than ${mb(SMALL_BODY_MAX_BYTES)}.`,
  },
};

export interface Refusal {
  status: 401 | 403 | 413 | 415;
  error: string;
  message: string;
}

export interface GuardRequest {
  method: string;
  pathname: string;
  headers: Headers;
  hasSessionCookie: boolean;
  /** CUSTODY_PUBLIC_URL, when set. */
  publicUrl?: string | undefined;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether the request was sent by a page of another origin (null when it is fine). */
export function crossOriginSource(headers: Headers, publicUrl?: string): string | null {
  const site = headers.get("sec-fetch-site");
  const origin = headers.get("origin");
  if (site !== null) return site === "same-origin" || site === "none" ? null : (origin ?? `a ${site} page`);
  if (origin === null) return null;
  if (origin === originOf(publicUrl)) return null;
  const host = headers.get("host");
  const originHost = hostOf(origin);
  if (host !== null && originHost !== null) {
    // The Host header as a URL host (lowercase, default port dropped), to compare like with like.
    const ownHost = hostOf(`${new URL(origin).protocol}//${host}`);
    if (ownHost === originHost) return null;
  }
  return origin;
}

const mediaType = (headers: Headers) => headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() || null;

/** Why this request is refused before it reaches a route handler or server action, or null to let it through. */
export function refuseRequest(request: GuardRequest): Refusal | null {
  if (!STATE_CHANGING_METHODS.has(request.method.toUpperCase())) return null;
  if (request.pathname.startsWith("/api/")) return refuseApiRequest(request);
  // Server actions: Next itself compares their Origin with the Host and reads only its own form types; what it does
  // not do well is size — past serverActions.bodySizeLimit it answers 500. Refuse from the announced length instead.
  if (request.headers.has("next-action") && contentLength(request.headers) > SMALL_BODY_MAX_BYTES) {
    return { status: 413, error: "payload_too_large", message: `The form is larger than ${mb(SMALL_BODY_MAX_BYTES)}.` };
  }
  return null;
}

const contentLength = (headers: Headers) => {
  const n = Number(headers.get("content-length") ?? 0);
  return Number.isFinite(n) ? n : 0;
};

function refuseApiRequest(request: GuardRequest): Refusal | null {
  const from = crossOriginSource(request.headers, request.publicUrl);
  if (from !== null) {
    return {
      status: 403,
      error: "cross_origin",
      message: `Refused: this request came from another site (${from}). Custody accepts changes only from its own pages.`,
    };
  }
  const rule = FORM_BODY_ROUTES[request.pathname] ?? JSON_BODY;
  if (rule.needsSessionCookie && !request.hasSessionCookie)
    return { status: 401, error: "unauthenticated", message: "Please sign in." };
  const length = contentLength(request.headers);
  const type = mediaType(request.headers);
  // A form can send no body at all without a type; anything with a body must say what it is.
  const hasBody = type !== null || length > 0 || request.headers.has("transfer-encoding");
  if (hasBody && (type === null || !rule.types.includes(type))) {
    return {
      status: 415,
      error: "unsupported_media_type",
      message: `This endpoint takes ${rule.types.join(" or ")}${type ? `, not ${type}` : ""} (send Content-Type: ${rule.types[0]}).`,
    };
  }
  if (length > rule.maxBytes) return { status: 413, error: "payload_too_large", message: rule.tooLarge };
  return null;
}

/**
 * API routes proxy.ts does not run for (its matcher skips them; request-guard.test.ts checks the two agree). Next
 * buffers a request's body in memory for the proxy — and cuts it off at `proxyClientMaxBodySize`, 10 MB — before the
 * proxy's answer goes out, so an upload route behind the proxy either truncates bundles or lets anyone make the
 * server buffer 100 MB. These routes wrap their handlers in `guardedRoute` instead: the same checks, in the route,
 * before the body is read.
 */
export const PROXY_SKIPPED_API_ROUTES: readonly string[] = ["/api/evidence/verify"];

const SESSION_COOKIE_PRESENT = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`);

/** Cache-Control and HSTS, the headers proxy.ts sets on API responses (and `guardedRoute` on the routes it skips). */
export function setApiResponseHeaders(
  headers: Headers,
  options: { isApi: boolean; publicUrl?: string | undefined },
): void {
  // JSON, CSV and ZIP answers hold data a shared cache or the browser's disk cache must not keep.
  if (options.isApi) headers.set("cache-control", "no-store");
  // Only when the public URL is https: HSTS over plain http would pin a scheme the server does not have.
  if (options.publicUrl?.startsWith("https://"))
    headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
}

export function refusalResponse(refusal: Refusal): Response {
  return Response.json({ error: refusal.error, message: refusal.message }, { status: refusal.status });
}

/** The proxy's guard and API headers for a route handler the proxy does not run for (PROXY_SKIPPED_API_ROUTES). */
export function guardedRoute<A extends [Request, ...unknown[]]>(
  handler: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    const [request] = args;
    const publicUrl = settingsFrom().CUSTODY_PUBLIC_URL;
    const refusal = refuseRequest({
      method: request.method,
      pathname: new URL(request.url).pathname,
      headers: request.headers,
      hasSessionCookie: SESSION_COOKIE_PRESENT.test(request.headers.get("cookie") ?? ""),
      publicUrl,
    });
    const response = refusal ? refusalResponse(refusal) : await handler(...args);
    setApiResponseHeaders(response.headers, { isApi: true, publicUrl });
    return response;
  };
}
