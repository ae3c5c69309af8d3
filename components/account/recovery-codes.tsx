/** Recovery codes, shown once right after they are made; and a new TOTP secret, shown once while enrolling. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="rounded-lg border border-amber-200 bg-amber-50 p-4" data-testid="recovery-codes">
      <p className="text-sm font-semibold text-amber-900">Save your recovery codes</p>
      <p className="mt-1 text-xs text-amber-800">
        Each works once if you lose your authenticator. They are not shown again.
      </p>
      <ul className="mt-3 grid grid-cols-2 gap-1 font-mono text-sm text-slate-900">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}

export function TotpSecret({ secret, qrDataUrl }: { secret: string; qrDataUrl: string }) {
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">Scan this QR code with your authenticator app, or type the key in.</p>
      {/* A data: URL generated on the server (the CSP allows img data:). */}
      <img src={qrDataUrl} alt="QR code for the authenticator app" width={200} height={200} className="mx-auto" />
      <p className="text-center font-mono text-sm tracking-wider text-slate-800" data-testid="totp-secret">
        {secret}
      </p>
    </div>
  );
}
