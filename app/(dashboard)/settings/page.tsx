import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { getSchemeOverview } from "@/lib/server/dal/settings";
import { can } from "@/lib/server/permissions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requirePageActor("settings:read");
  const { scheme, controls } = await getSchemeOverview(actor);
  const title = new Map<string, string>(controls.map((c) => [c.id, c.title]));
  return (
    <>
      <PageHeader
        title="Settings"
        description="The data classification scheme every bucket is evaluated against."
        actions={can(actor, "users:manage") ? <Link href="/settings/users" className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">Users</Link> : null}
      />
      {scheme ? (
        <Card
          title={`Classification scheme · version ${scheme.version}`}
          description={<>Tag key <code className="font-mono">{scheme.tagKey}</code> · unclassified buckets are held to <strong>{scheme.levels.find((l) => l.key === scheme.fallbackLevel)?.name ?? scheme.fallbackLevel}</strong></>}
        >
          <div className="grid gap-4 md:grid-cols-3">
            {scheme.levels.map((l) => (
              <div key={l.key} className="rounded-lg border border-slate-200 p-4" data-testid={`level-${l.key}`}>
                <div className="flex items-center justify-between">
                  <h3 className="font-semibold text-slate-900">{l.name}</h3>
                  <span className="text-xs text-slate-400">rank {l.rank}</span>
                </div>
                <p className="mt-1 text-xs text-slate-500">{l.description}</p>
                <p className="mt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">Required controls</p>
                <ul className="mt-1 space-y-1">
                  {l.requiredControlIds.map((id) => (
                    <li key={id} className="text-sm text-slate-700">{title.get(id) ?? id}</li>
                  ))}
                </ul>
                {l.aliases.length ? (
                  <div className="mt-3 flex flex-wrap gap-1">
                    {l.aliases.map((a) => <Badge key={a}>{a}</Badge>)}
                  </div>
                ) : null}
              </div>
            ))}
          </div>
        </Card>
      ) : (
        <Card title="Classification scheme"><p className="text-sm text-slate-500">No scheme yet.</p></Card>
      )}
    </>
  );
}
