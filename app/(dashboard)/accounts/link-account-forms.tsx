"use client";
/** Admin forms: link one account by role ARN, and discover an organisation's accounts. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "./api-client";

const input =
  "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
const label = "block text-xs font-medium text-slate-700";
const primary =
  "rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60";

export function LinkAccountForm({ defaultExternalId }: { defaultExternalId: string }) {
  const router = useRouter();
  const [form, setForm] = useState({ roleArn: "", name: "", externalId: "" });
  const link = useMutation({
    mutationFn: () =>
      callApi<{ id: string; name: string; externalId: string }>("/api/accounts", { method: "POST", body: form }),
    onSuccess: () => {
      setForm({ roleArn: "", name: "", externalId: "" });
      router.refresh();
    },
  });
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        link.mutate();
      }}
    >
      <div>
        <label className={label} htmlFor="link-role-arn">
          Role ARN
        </label>
        <input
          id="link-role-arn"
          className={`${input} font-mono`}
          placeholder="arn:aws:iam::123456789012:role/CustodyReadOnly"
          value={form.roleArn}
          onChange={(e) => setForm({ ...form, roleArn: e.target.value })}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className={label} htmlFor="link-name">
            Name (optional)
          </label>
          <input
            id="link-name"
            className={input}
            placeholder="the account id"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </div>
        <div>
          <label className={label} htmlFor="link-external-id">
            ExternalId (optional)
          </label>
          <input
            id="link-external-id"
            className={`${input} font-mono`}
            placeholder={defaultExternalId}
            value={form.externalId}
            onChange={(e) => setForm({ ...form, externalId: e.target.value })}
          />
        </div>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className={primary} disabled={link.isPending}>
          {link.isPending ? "Linking…" : "Link account"}
        </button>
        {link.error ? (
          <p role="alert" className="text-sm text-rose-700">
            {link.error.message}
          </p>
        ) : null}
        {link.data ? (
          <p role="status" className="text-sm text-emerald-700">
            Linked {link.data.name} ({link.data.id}). Test its connection in the table below.
          </p>
        ) : null}
      </div>
    </form>
  );
}

type Discovery = {
  fromAccountId: string;
  found: number;
  linked: { id: string; name: string; ouPath: string }[];
  updated: number;
  skipped: { id: string; reason: string }[];
};

export function DiscoverForm() {
  const router = useRouter();
  const [form, setForm] = useState({ roleName: "CustodyReadOnly", fromAccountId: "" });
  const discover = useMutation({
    mutationFn: () => callApi<Discovery>("/api/accounts/discover", { method: "POST", body: form }),
    onSuccess: () => router.refresh(),
  });
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        discover.mutate();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className={label} htmlFor="discover-role-name">
            Role name in every account
          </label>
          <input
            id="discover-role-name"
            className={`${input} font-mono`}
            value={form.roleName}
            onChange={(e) => setForm({ ...form, roleName: e.target.value })}
          />
        </div>
        <div>
          <label className={label} htmlFor="discover-from">
            Management account (optional)
          </label>
          <input
            id="discover-from"
            className={`${input} font-mono`}
            placeholder="tries every linked account"
            value={form.fromAccountId}
            onChange={(e) => setForm({ ...form, fromAccountId: e.target.value })}
          />
        </div>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className={primary} disabled={discover.isPending}>
          {discover.isPending ? "Discovering…" : "Discover accounts"}
        </button>
        {discover.error ? (
          <p role="alert" className="text-sm text-rose-700">
            {discover.error.message}
          </p>
        ) : null}
      </div>
      {discover.data ? (
        <div role="status" className="rounded-lg bg-slate-50 p-3 text-sm text-slate-700">
          Listed from {discover.data.fromAccountId}: {discover.data.found} account(s), {discover.data.linked.length}{" "}
          newly linked, {discover.data.updated} already linked
          {discover.data.skipped.length ? `, ${discover.data.skipped.length} skipped (not active)` : ""}.
          {discover.data.linked.length ? (
            <ul className="mt-2 list-inside list-disc text-xs">
              {discover.data.linked.map((a) => (
                <li key={a.id}>
                  <span className="font-mono">{a.id}</span> {a.name} · {a.ouPath}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
