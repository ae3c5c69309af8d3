import Link from "next/link";
import { signOutAction } from "@/app/(auth)/login/actions";
import { GlobalSearch } from "@/components/layout/global-search";
import { NavIcon } from "@/components/layout/nav-icons";
import { NavLink } from "@/components/layout/nav-link";
import { QueryProvider } from "@/components/layout/query-provider";
import { ReevaluationBanner } from "@/components/layout/reevaluation-banner";
import { LogoMark } from "@/components/ui/logo";
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
  return (
    <div className="flex min-h-screen">
      <aside className="fixed inset-y-0 left-0 z-20 flex w-60 flex-col bg-slate-900">
        <Link href="/" className="flex items-center gap-2.5 px-5 py-5 text-white">
          <LogoMark className="h-8 w-8" />
          <span className="text-lg font-semibold tracking-tight">Custody</span>
        </Link>
        <div className="px-3 pb-3">
          <GlobalSearch />
        </div>
        <nav aria-label="Main" className="flex-1 space-y-1 px-3">
          {sectionsFor(actor).map((s) => (
            <NavLink key={s.href} href={s.href}>
              <NavIcon name={s.icon} />
              {s.label}
            </NavLink>
          ))}
        </nav>
        <div className="border-t border-white/10 p-4">
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
        </div>
      </aside>
      <main className="ml-60 min-w-0 flex-1 px-8 py-8">
        <QueryProvider>
          {failedSignIns > 0 ? <SignInNotice failedAttempts={failedSignIns} /> : null}
          <ReevaluationBanner key={reevaluation?.id ?? "none"} initial={reevaluation} />
          {children}
        </QueryProvider>
      </main>
    </div>
  );
}
