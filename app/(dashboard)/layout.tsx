import { cookies } from "next/headers";
import Link from "next/link";
import { THEME_COOKIE } from "@/lib/auth/cookie-names";
import { themeFromCookie } from "@/lib/ui/theme";
import { signOutAction } from "@/app/(auth)/login/actions";
import { GlobalSearch } from "@/components/layout/global-search";
import { NavIcon } from "@/components/layout/nav-icons";
import { NavLink } from "@/components/layout/nav-link";
import { NavigationDrawer } from "@/components/layout/navigation-drawer";
import { QueryProvider } from "@/components/layout/query-provider";
import { ReevaluationBanner } from "@/components/layout/reevaluation-banner";
import { LogoMark } from "@/components/ui/logo";
import { ThemeSwitch } from "@/components/layout/theme-switch";
import { SignInNotice } from "@/components/layout/sign-in-notice";
import { currentSignInNotice, requirePageActor } from "@/lib/server/auth/current-actor";
import { getReevaluationStatus } from "@/lib/server/dal/scheme";
import { sectionsFor } from "@/lib/server/navigation";
import { ROLE_LABELS } from "@/lib/roles";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // The page itself sends a user with an admin's temporary password to /account (requirePageActor).
  const actor = await requirePageActor(undefined, { allowMustChangePassword: true });
  const reevaluation = await getReevaluationStatus(actor);
  const failedSignIns = await currentSignInNotice();
  const theme = themeFromCookie((await cookies()).get(THEME_COOKIE)?.value);

  const logo = (
    <Link href="/" className="flex items-center gap-2.5 px-5 py-5 text-white">
      <LogoMark className="h-8 w-8" />
      <span className="text-lg font-semibold tracking-tight">Custody</span>
    </Link>
  );
  // The navigation and the user's block: the sidebar from 1280 px, the drawer behind "Menu" below that.
  const panel = (
    <>
      <nav aria-label="Main" className="flex-1 space-y-1 px-3">
        {sectionsFor(actor).map((s) => (
          <NavLink key={s.href} href={s.href}>
            <NavIcon name={s.icon} />
            {s.label}
          </NavLink>
        ))}
      </nav>
      <div className="mt-4 border-t border-white/10 p-4">
        <Link
          href="/account"
          className="block truncate text-sm font-medium text-white hover:underline"
          data-testid="current-user"
          title="Your account: password and second factors"
        >
          {actor.name}
        </Link>
        <div className="truncate text-xs text-slate-400">{actor.email}</div>
        <div className="mt-2 flex items-center justify-between">
          <span className="rounded bg-white/10 px-2 py-0.5 text-xs text-slate-200" data-testid="current-role">
            {ROLE_LABELS[actor.role]}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="text-xs font-medium text-slate-300 hover:text-white">
              Sign out
            </button>
          </form>
        </div>
        <div className="mt-3">
          <ThemeSwitch initial={theme} />
        </div>
      </div>
    </>
  );

  return (
    <QueryProvider>
      {/* scheme-light: the sidebar is dark by design in both themes, so its colour tokens keep their light values. */}
      <aside className="fixed inset-y-0 left-0 z-20 hidden w-60 flex-col overflow-y-auto bg-slate-900 scheme-light xl:flex">
        {logo}
        {panel}
      </aside>
      <div className="xl:pl-60">
        {/* The top bar: logo and "Menu" below 1280 px; the header actions (right) at every width. */}
        <header className="flex min-h-14 items-center gap-2 border-b border-slate-200 bg-white px-3 sm:px-6 xl:min-h-0 xl:border-0 xl:bg-transparent xl:px-8 xl:pt-6">
          <NavigationDrawer header={logo}>{panel}</NavigationDrawer>
          <Link href="/" className="flex items-center gap-2 text-slate-900 xl:hidden">
            <LogoMark className="h-7 w-7" />
            <span className="font-semibold tracking-tight">Custody</span>
          </Link>
          <div className="ml-auto flex items-center gap-2" data-testid="header-actions">
            {/* The global search (⌘K), in the top bar at every width. */}
            <GlobalSearch />
          </div>
        </header>
        <main id="content" tabIndex={-1} className="min-w-0 px-4 py-6 outline-none sm:px-6 xl:px-8 xl:py-6">
          {failedSignIns > 0 ? <SignInNotice failedAttempts={failedSignIns} /> : null}
          <ReevaluationBanner key={reevaluation?.id ?? "none"} initial={reevaluation} />
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
