/**
 * Runs before every request: a fresh CSP nonce (script-src without 'unsafe-inline'), the path for the sign-in
 * redirect, and a fast redirect of cookie-less requests to pages. The session itself is checked in the data layer;
 * this is only the first, cheap gate.
 */
import { NextResponse, type NextRequest } from "next/server";
import { pageQueryIsInvalid } from "@/lib/schemas/page-queries";

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
  if (!isPublic && !isApi && !request.cookies.has("custody_session")) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-custody-path", pathname + search);
  // A page asked with a query it cannot accept still renders (it says what is wrong, with a way back), as a 400.
  const status = !isApi && pageQueryIsInvalid(pathname, request.nextUrl.searchParams) ? 400 : undefined;
  const response = NextResponse.next({ request: { headers: requestHeaders }, ...(status ? { status } : {}) });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
