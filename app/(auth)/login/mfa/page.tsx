import type { Metadata } from "next";
import Link from "next/link";
import { LogoMark } from "@/components/ui/logo";
import { safeNextPath } from "@/lib/schemas/auth";
import { currentPendingStep } from "@/lib/server/auth/mfa/request";
import { ContinueStep, EnrolStep, VerifyStep } from "./second-factor-forms";

export const metadata: Metadata = { title: "Second factor" };

export default async function SecondFactorPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const raw = (await searchParams).next;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  const step = await currentPendingStep();
  return (
    <main
      id="content"
      tabIndex={-1}
      className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-900 via-slate-800 to-indigo-950 px-4 scheme-light outline-none"
    >
      <div className="w-full max-w-md">
        <div className="mb-8 flex items-center justify-center gap-3 text-white">
          <LogoMark className="h-10 w-10" />
          <div className="text-2xl font-semibold tracking-tight">Custody</div>
        </div>
        <div className="rounded-2xl bg-white p-8 text-slate-900 shadow-2xl ring-1 ring-black/5">
          {!step ? (
            <>
              <h1 className="mb-3 text-lg font-semibold text-slate-900">Sign in again</h1>
              <p className="text-sm text-slate-600">Your sign-in expired or had too many wrong codes.</p>
              <Link
                href={`/login?next=${encodeURIComponent(next)}`}
                className="mt-5 inline-block text-sm font-semibold text-indigo-600 hover:text-indigo-500"
              >
                Back to sign-in
              </Link>
            </>
          ) : step.step === "verify" ? (
            <>
              <h1 className="mb-1 text-lg font-semibold text-slate-900">Second factor</h1>
              <p className="mb-6 text-sm text-slate-500">Signing in as {step.email}</p>
              <VerifyStep next={next} totp={step.totp} passkeys={step.passkeys} />
            </>
          ) : step.step === "enrolled" ? (
            <>
              <h1 className="mb-1 text-lg font-semibold text-slate-900">Second factor set up</h1>
              <p className="mb-6 text-sm text-slate-500">
                Create recovery codes on your account page if you have not saved them.
              </p>
              <ContinueStep next={next} />
            </>
          ) : (
            <>
              <h1 className="mb-1 text-lg font-semibold text-slate-900">Set up a second factor</h1>
              <p className="mb-6 text-sm text-slate-500">
                Your role requires a second factor for {step.email}. Set one up to continue: an authenticator app or a
                passkey.
              </p>
              <EnrolStep next={next} />
            </>
          )}
        </div>
      </div>
    </main>
  );
}
