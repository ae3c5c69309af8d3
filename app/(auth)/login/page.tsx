import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LogoMark } from "@/components/ui/logo";
import { safeNextPath } from "@/lib/schemas/auth";
import { currentActor } from "@/lib/server/auth/current-actor";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const raw = (await searchParams).next;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  if (await currentActor()) redirect(next);
  return (
    <main
      id="content"
      tabIndex={-1}
      className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-900 via-slate-800 to-indigo-950 px-4 scheme-light outline-none"
    >
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-3 text-white">
          <LogoMark className="h-10 w-10" />
          <div>
            <div className="text-2xl font-semibold tracking-tight">Custody</div>
            <div className="text-xs text-slate-300">Data security for Amazon S3</div>
          </div>
        </div>
        <div className="rounded-2xl bg-white p-8 text-slate-900 shadow-2xl ring-1 ring-black/5">
          <h1 className="mb-6 text-lg font-semibold text-slate-900">Sign in to your organisation</h1>
          <SignInForm next={next} />
        </div>
        <p className="mt-6 text-center text-xs text-slate-400">
          Read-only access to your AWS accounts. Nothing is changed.
        </p>
      </div>
    </main>
  );
}
