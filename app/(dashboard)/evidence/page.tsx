import type { Metadata } from "next";
import { AccountCheckboxList } from "@/components/evidence/account-checkbox-list";
import { CheckboxList } from "@/components/evidence/checkbox-list";
import { DownloadAgainButton } from "@/components/evidence/download-again-button";
import { VerifyBundleForm } from "@/components/evidence/verify-bundle-form";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/server/auth/current-actor";
import { evidenceOptions, listEvidenceBundles } from "@/lib/server/dal/evidence";
import { can } from "@/lib/server/permissions";

export const metadata: Metadata = { title: "Evidence" };

const box = "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm";
const stamp = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 16)} UTC`;

export default async function EvidencePage() {
  const actor = await requirePageActor("evidence:read");
  const [options, bundles] = await Promise.all([evidenceOptions(actor), listEvidenceBundles(actor)]);
  return (
    <>
      <PageHeader
        title="Evidence"
        description="Reproducible bundles for auditors: the control matrix, the bucket settings as read, AWS Config and Macie data, active waivers and the scheme version, for a scope at a completed sync — with a manifest of SHA-256 hashes."
      />
      <div className="grid gap-6 xl:grid-cols-3">
        {can(actor, "evidence:create") ? (
          <Card
            title="New bundle"
            description="Leave a filter empty to include everything. The same scope and snapshot always give identical data files."
            className="xl:col-span-2"
          >
            <form
              method="post"
              action="/api/evidence/bundle"
              className="grid gap-4 md:grid-cols-2"
              data-testid="evidence-form"
            >
              <label className="block text-sm font-medium text-slate-700 md:col-span-2">
                Point in time (a completed sync)
                <select name="syncRunId" aria-label="Point in time" className={box} required>
                  {options.runs.map((r) => (
                    <option key={r.id} value={r.id}>
                      {stamp(r.finishedAt!)} · {r.trigger} · {r.status}
                      {r.accountsFailed ? ` (${r.accountsFailed} of ${r.accountsTotal} accounts failed)` : ""}
                    </option>
                  ))}
                </select>
              </label>
              <AccountCheckboxList
                name="accounts"
                first={options.accounts.first}
                more={options.accounts.more}
                total={options.accounts.total}
              />
              <CheckboxList
                name="ous"
                legend="Organizational units"
                emptyMeans="every OU"
                options={options.ous.map((o) => ({ value: o, label: o }))}
              />
              <fieldset className="text-sm">
                <legend className="font-medium text-slate-700">Levels</legend>
                <div className="mt-1 flex flex-wrap gap-3">
                  {options.levels.map((l) => (
                    <label key={l.key} className="flex items-center gap-1.5 text-slate-700">
                      <input type="checkbox" name="levels" value={l.key} className="rounded border-slate-300" />{" "}
                      {l.name}
                    </label>
                  ))}
                </div>
              </fieldset>
              <CheckboxList
                name="controls"
                legend="Controls"
                emptyMeans="every control"
                options={options.controls.map((c) => ({ value: c.id, label: c.title }))}
              />
              <div className="md:col-span-2">
                <button
                  type="submit"
                  className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
                >
                  Download bundle (ZIP)
                </button>
              </div>
            </form>
          </Card>
        ) : null}
        <Card
          title="Verify a bundle"
          description="Checks the manifest against the record of every bundle Custody issued, and every file against the manifest."
        >
          <VerifyBundleForm />
        </Card>
      </div>

      <Card
        title="Bundles issued"
        description="Every bundle is recorded with the SHA-256 of its manifest.json. Download again rebuilds it from its recorded scope and snapshot, and hands it out only if the manifest hashes to the same SHA-256."
        className="mt-6"
      >
        {bundles.length === 0 ? (
          // No empty table: its headers alone are wider than a phone, a scroll box with nothing in it to focus.
          <p className="py-6 text-center text-sm text-slate-500" data-testid="evidence-bundles">
            No bundle yet.
          </p>
        ) : (
          <table className="min-w-full text-sm" data-testid="evidence-bundles">
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Made</th>
                <th className="py-2 pr-4">By</th>
                <th className="py-2 pr-4">Scope</th>
                <th className="py-2 pr-4">Buckets</th>
                <th className="py-2 pr-4">Manifest SHA-256</th>
                {/* relative: the visually hidden label is absolutely positioned, and without a positioned cell it would
                  escape the card's scroll box and widen the whole page on a phone. */}
                <th className="relative py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {bundles.map((b) => (
                <tr key={b.id} className="align-top" data-sha256={b.sha256}>
                  <td className="whitespace-nowrap py-2 pr-4 font-mono text-xs text-slate-600">{stamp(b.createdAt)}</td>
                  <td className="py-2 pr-4 text-slate-700">{b.createdBy}</td>
                  <td className="py-2 pr-4">
                    <div className="flex flex-wrap gap-1">
                      {[
                        ...b.scope.accounts.map((x) => `account ${x}`),
                        ...b.scope.ous.map((x) => `OU ${x}`),
                        ...b.scope.levels.map((x) => `level ${x}`),
                        ...b.scope.controls.map((x) => `control ${x}`),
                      ].map((x) => (
                        <Badge key={x}>{x}</Badge>
                      ))}
                      {b.scope.accounts.length +
                        b.scope.ous.length +
                        b.scope.levels.length +
                        b.scope.controls.length ===
                      0 ? (
                        <Badge tone="indigo">everything</Badge>
                      ) : null}
                    </div>
                    <div className="mt-1 font-mono text-[11px] text-slate-500">sync {b.syncRunId}</div>
                  </td>
                  <td className="py-2 pr-4 text-slate-700">{b.buckets ?? "—"}</td>
                  <td className="break-all py-2 pr-4 font-mono text-[11px] text-slate-500">{b.sha256}</td>
                  <td className="py-2">
                    <DownloadAgainButton bundleId={b.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
