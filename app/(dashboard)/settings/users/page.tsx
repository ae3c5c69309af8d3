import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { listUsers } from "@/lib/server/dal/settings";
import { UserActions } from "./user-actions";
import { ROLE_LABELS } from "@/lib/roles";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePageActor("users:manage");
  const users = await listUsers(actor);
  return (
    <>
      <PageHeader
        title="Users"
        description={
          <>
            Create users with <code className="font-mono">npm run user:create -- --email … --role …</code>
          </>
        }
      />
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-3">Name</th>
              <th className="px-4 py-3">E-mail</th>
              <th className="px-4 py-3">Role</th>
              <th className="px-4 py-3">Status</th>
              <th className="px-4 py-3">Second factor</th>
              <th className="px-4 py-3">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id} className="align-top">
                <td className="px-4 py-2.5 font-medium">{u.name}</td>
                <td className="px-4 py-2.5 text-slate-600">{u.email}</td>
                <td className="px-4 py-2.5">
                  <Badge tone="indigo">{ROLE_LABELS[u.role]}</Badge>
                </td>
                <td className="px-4 py-2.5">
                  {u.disabledAt ? <Badge tone="gray">Disabled</Badge> : <Badge tone="green">Active</Badge>}
                </td>
                <td className="px-4 py-2.5 text-slate-600">
                  {[
                    u.totp ? "authenticator app" : null,
                    u.passkeys ? `${u.passkeys} passkey${u.passkeys === 1 ? "" : "s"}` : null,
                  ]
                    .filter(Boolean)
                    .join(", ") || "none"}
                </td>
                <td className="px-4 py-2.5">
                  <UserActions
                    user={{
                      id: u.id,
                      email: u.email,
                      disabled: u.disabledAt !== null,
                      hasMfa: u.totp || u.passkeys > 0,
                    }}
                    isSelf={u.id === actor.id}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
