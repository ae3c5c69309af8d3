import Link from "next/link";

export default function Forbidden() {
  return (
    <main
      id="content"
      tabIndex={-1}
      className="flex min-h-screen items-center justify-center bg-slate-50 px-4 outline-none"
    >
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-600">403</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">
          You don’t have access to this page
        </h1>
        <p className="mt-3 text-sm text-slate-500">
          Your role does not include this section. Ask an administrator if you need it.
        </p>
        <Link
          href="/"
          className="mt-6 inline-block rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
        >
          Back to Custody
        </Link>
      </div>
    </main>
  );
}
