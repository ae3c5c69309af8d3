import type { Metadata } from "next";
import Link from "next/link";
import { SchemeEditor, SchemeImportForm } from "@/components/settings/scheme-editor";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { getEditableScheme, listSchemeVersions } from "@/lib/server/dal/scheme";
import { getMfaRequiredRoles } from "@/lib/server/dal/account-security";
import { getSchemeOverview } from "@/lib/server/dal/settings";
import { can } from "@/lib/server/permissions";
import { importSchemeAction, saveSchemeAction } from "./actions";
import { MfaRequiredRolesForm } from "./users/user-actions";
import { ROLE_LABELS, ROLES } from "@/lib/roles";

export const metadata: Metadata = { title: "Settings" };

const button = "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50";

export default async function SettingsPage() {
  const actor = await requirePageActor("settings:read");
  const [{ scheme, controls }, editable, versions, mfaRoles] = await Promise.all([
    getSchemeOverview(actor),
    getEditableScheme(actor),
    listSchemeVersions(actor),
    getMfaRequiredRoles(actor),
  ]);
  const title = new Map<string, string>(controls.map((c) => [c.id, c.title]));
  const canEdit = can(actor, "scheme:edit");
  return (
    <>
      <PageHeader
        title="Settings"
        description="The data classification scheme every bucket is evaluated against. Every change is a new version; evaluations record the version they used."
        actions={
          <>
            <a href="/api/scheme/export" className={button} download>
              Export JSON
            </a>
            {can(actor, "users:manage") ? (
              <Link href="/settings/users" className={button}>
                Users
              </Link>
            ) : null}
          </>
        }
      />
      <div className="space-y-6">
        <Card
          title="Sign-in: second factor"
          description="Users of the checked roles must sign in with an authenticator app or a passkey after their password; those without one set it up right after the password."
        >
          <MfaRequiredRolesForm
            roles={ROLES.map((r) => ({ key: r, label: ROLE_LABELS[r] }))}
            required={mfaRoles}
            canEdit={can(actor, "users:manage")}
          />
        </Card>
        {scheme ? (
          <Card
            title={`Classification scheme · version ${scheme.version}`}
            description={
              <>
                Tag key <code className="font-mono">{scheme.tagKey}</code> · unclassified buckets are held to{" "}
                <strong>
                  {scheme.levels.find((l) => l.key === scheme.fallbackLevel)?.name ?? scheme.fallbackLevel}
                </strong>
              </>
            }
          >
            <div className="grid gap-4 md:grid-cols-3">
              {scheme.levels.map((l) => (
                <div key={l.key} className="rounded-lg border border-slate-200 p-4" data-testid={`level-${l.key}`}>
                  <div className="flex items-center justify-between">
                    <h3 className="font-semibold text-slate-900">{l.name}</h3>
                    <span className="text-xs text-slate-500">rank {l.rank}</span>
                  </div>
                  <p className="mt-1 text-xs text-slate-500">{l.description}</p>
                  <p className="mt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">Required controls</p>
                  <ul className="mt-1 space-y-1">
                    {l.requiredControlIds.map((id) => (
                      <li key={id} className="text-sm text-slate-700">
                        {title.get(id) ?? id}
                      </li>
                    ))}
                    {l.requiredControlIds.length === 0 ? <li className="text-sm text-slate-500">none</li> : null}
                  </ul>
                  {l.aliases.length ? (
                    <div className="mt-3 flex flex-wrap gap-1">
                      {l.aliases.map((a) => (
                        <Badge key={a}>{a}</Badge>
                      ))}
                    </div>
                  ) : null}
                </div>
              ))}
            </div>
          </Card>
        ) : (
          <Card title="Classification scheme">
            <p className="text-sm text-slate-500">No scheme yet.</p>
          </Card>
        )}

        {canEdit ? (
          <div className="grid gap-6 xl:grid-cols-3">
            <Card
              title="Edit the scheme"
              description="Order the levels from most to least sensitive; the order sets their rank."
              className="xl:col-span-2"
            >
              <SchemeEditor
                scheme={{ ...editable.scheme, levels: [...editable.scheme.levels].sort((a, b) => b.rank - a.rank) }}
                controls={controls}
                action={saveSchemeAction}
              />
            </Card>
            <Card
              title="Import"
              description="A JSON file in the format Export writes. A file with errors changes nothing."
            >
              <SchemeImportForm action={importSchemeAction} />
            </Card>
          </div>
        ) : null}

        <Card
          title="Version history"
          description="Who changed the scheme, when, and what changed from the version before."
        >
          <ol className="divide-y divide-slate-100" data-testid="scheme-versions">
            {versions.map((v) => (
              <li
                key={v.version}
                className="flex flex-wrap items-start gap-4 py-3 text-sm"
                data-testid={`scheme-version-${v.version}`}
              >
                <span className="w-20 shrink-0 font-semibold text-slate-900">v{v.version}</span>
                <span className="w-44 shrink-0 font-mono text-xs text-slate-500">
                  {v.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                </span>
                <span className="w-56 shrink-0 truncate text-slate-700">{v.createdBy}</span>
                <span className="min-w-0 flex-1 text-slate-600">
                  {v.changes.length ? (
                    <ul className="space-y-0.5">
                      {v.changes.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  ) : (
                    (v.note ?? "—")
                  )}
                  {v.changes.length && v.note ? <p className="mt-1 text-xs italic text-slate-500">“{v.note}”</p> : null}
                </span>
                <a
                  href={`/api/scheme/export?version=${v.version}`}
                  className="text-xs font-medium text-indigo-700 hover:underline"
                  download
                >
                  JSON
                </a>
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </>
  );
}
