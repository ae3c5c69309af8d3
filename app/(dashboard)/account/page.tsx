import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { getOwnSecurity } from "@/lib/server/dal/account-security";
import { ChangePasswordForm, PasskeyList, PasskeyRegister, TotpSection } from "./account-forms";
import { ROLE_LABELS } from "@/lib/roles";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requirePageActor(undefined, { allowMustChangePassword: true });
  const security = await getOwnSecurity(actor);
  return (
    <>
      <PageHeader
        title="Your account"
        description={
          <>
            {actor.name} · {actor.email} · {ROLE_LABELS[actor.role]}
          </>
        }
      />
      {actor.mustChangePassword ? (
        <p
          role="alert"
          data-testid="must-change-password"
          className="mb-6 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          An admin set a temporary password for you. Choose your own password to continue.
        </p>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-2">
        <Card
          title="Password"
          description="At least 12 characters and hard to guess: a passphrase of several unrelated words works well. Your other sessions are signed out."
        >
          <ChangePasswordForm email={actor.email} />
        </Card>
        <div className="space-y-6">
          <Card
            title="Authenticator app"
            description={
              security.required
                ? "Your role requires a second factor at sign-in."
                : "A 6-digit code at sign-in, after your password."
            }
            actions={security.totp ? <Badge tone="green">On</Badge> : <Badge tone="gray">Off</Badge>}
          >
            <TotpSection enabled={security.totp} recoveryCodesLeft={security.recoveryCodesLeft} />
          </Card>
          <Card
            title="Passkeys"
            description="A passkey (this device, a phone or a security key) as your second factor."
          >
            <PasskeyList
              passkeys={security.passkeyList.map((p) => ({
                id: p.id,
                name: p.name,
                createdAt: p.createdAt.toISOString(),
                lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
              }))}
            />
            <div className="mt-4">
              <PasskeyRegister />
            </div>
          </Card>
        </div>
      </div>
    </>
  );
}
