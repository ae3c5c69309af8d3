/**
 * Runs before every request: a fresh CSP nonce (script-src without 'unsafe-inline'), the path for the sign-in
 * redirect, and a fast redirect of cookie-less requests to pages. The session itself is checked in the data layer;
 * this is only the first, cheap gate. It is also the one place for what must hold for every route: cross-site,
 * content-type and size checks on state-changing requests (lib/http/request-guard.ts), `Cache-Control: no-store`
 * on every API response (JSON and exports hold data a shared cache or the browser's disk must not keep), and HSTS
 * when Custody is served over https.
 */
import { NextResponse, type NextRequest } from "next/server";
import { refuseRequest } from "@/lib/http/request-guard";
import { pageQueryIsInvalid } from "@/lib/schemas/page-queries";

const SESSION_COOKIE = "custody_session";

/** Headers every response gets that depend on the request or the environment (static ones: next.config.js). */
function withCommonHeaders(response: NextResponse, isApi: boolean): NextResponse {
  if (isApi) response.headers.set("cache-control", "no-store");
  // Only when the public URL is https: HSTS over plain http would pin a scheme the server does not have.
  if (process.env.CUSTODY_PUBLIC_URL?.startsWith("https://")) response.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  return response;
}

const PUBLIC_PATHS = ["/login", "/api/health"];

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Charts and table widths set style attributes, which nonces cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const { pathname, search } = request.nextUrl;
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const isApi = pathname.startsWith("/api/");
  const refusal = refuseRequest({
    method: request.method,
    pathname,
    headers: request.headers,
    hasSessionCookie: request.cookies.has(SESSION_COOKIE),
    publicUrl: process.env.CUSTODY_PUBLIC_URL,
  });
  if (refusal) return withCommonHeaders(NextResponse.json({ error: refusal.error, message: refusal.message }, { status: refusal.status }), true);
  if (!isPublic && !isApi && !request.cookies.has(SESSION_COOKIE)) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return withCommonHeaders(NextResponse.redirect(url), false);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-custody-path", pathname + search);
  // A page asked with a query it cannot accept still renders (it says what is wrong, with a way back), as a 400.
  const status = !isApi && pageQueryIsInvalid(pathname, request.nextUrl.searchParams) ? 400 : undefined;
  const response = NextResponse.next({ request: { headers: requestHeaders }, ...(status ? { status } : {}) });
  response.headers.set("content-security-policy", csp);
  return withCommonHeaders(response, isApi);
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
