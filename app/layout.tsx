import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { THEME_COOKIE } from "@/lib/auth/cookie-names";
import { themeFromCookie } from "@/lib/ui/theme";
import { SkipLink } from "@/components/layout/skip-link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Custody", template: "%s · Custody" },
  description: "Data security for Amazon S3 across your AWS accounts",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request headers renders every page per request, so Next.js can put the CSP nonce set by proxy.ts
  // on its scripts (a statically prerendered page would carry no nonce and its scripts would be blocked).
  await headers();
  // A pinned theme is rendered on the server, so the first paint is already in it; "system" leaves data-theme off
  // and app/globals.css follows prefers-color-scheme.
  const theme = themeFromCookie((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body className="min-h-screen font-sans">
        <SkipLink />
        {children}
      </body>
    </html>
  );
}
