/**
 * Runs before every request: a fresh CSP nonce (script-src without 'unsafe-inline'), the path for the sign-in
 * redirect, and a fast redirect of cookie-less requests to pages. The session itself is checked in the data layer;
 * this is only the first, cheap gate. It is also the one place for what must hold for every route: cross-site,
 * content-type and size checks on state-changing requests (lib/http/request-guard.ts), `Cache-Control: no-store`
 * on every API response, and HSTS when Custody is served over https. (The one route it skips, the evidence upload,
 * applies the same guard itself: PROXY_SKIPPED_API_ROUTES.)
 */
import { NextResponse, type NextRequest } from "next/server";
import { settingsFrom } from "@/lib/env";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { refusalResponse, refuseRequest, setApiResponseHeaders } from "@/lib/http/request-guard";
import { pageQueryIsInvalid } from "@/lib/schemas/page-queries";

const PUBLIC_PATHS = ["/login", "/api/health"];

function withApiHeaders<R extends Response>(response: R, isApi: boolean): R {
  setApiResponseHeaders(response.headers, { isApi, publicUrl: settingsFrom().CUSTODY_PUBLIC_URL });
  return response;
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = settingsFrom().NODE_ENV === "development";
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
    publicUrl: settingsFrom().CUSTODY_PUBLIC_URL,
  });
  if (refusal) return withApiHeaders(refusalResponse(refusal), true);
  if (!isPublic && !isApi && !request.cookies.has(SESSION_COOKIE)) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return withApiHeaders(NextResponse.redirect(url), false);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-custody-path", pathname + search);
  // A page asked with a query it cannot accept still renders (it says what is wrong, with a way back), as a 400.
  const status = !isApi && pageQueryIsInvalid(pathname, request.nextUrl.searchParams) ? 400 : undefined;
  const response = NextResponse.next({ request: { headers: requestHeaders }, ...(status ? { status } : {}) });
  response.headers.set("content-security-policy", csp);
  return withApiHeaders(response, isApi);
}

export const config = {
  // The evidence upload is guarded in its route (PROXY_SKIPPED_API_ROUTES in lib/http/request-guard.ts says why).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/evidence/verify).*)" }],
};
