"use client";
/** Admin forms: the organisation's sync schedule and the webhook URLs notified after each sync. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "./api-client";

const input =
  "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
const secondary =
  "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";

export function ScheduleForm({ expression }: { expression: string }) {
  const router = useRouter();
  const [value, setValue] = useState(expression);
  const save = useMutation({
    mutationFn: () => callApi<{ label: string }>("/api/sync/schedule", { method: "PUT", body: { expression: value } }),
    onSuccess: () => router.refresh(),
  });
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label htmlFor="sync-schedule" className="block text-xs font-medium text-slate-700">
        Schedule
      </label>
      <div className="flex gap-2">
        <input
          id="sync-schedule"
          className={`${input} mt-0 font-mono`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className={secondary} disabled={save.isPending}>
          Save
        </button>
      </div>
      <p className="text-xs text-slate-500">
        “daily”, “daily at 02:30”, “every 6 hours”, “hourly”, “off”, or cron (UTC).
      </p>
      {save.error ? (
        <p role="alert" className="text-sm text-rose-700">
          {save.error.message}
        </p>
      ) : null}
      {save.data ? (
        <p role="status" className="text-sm text-emerald-700">
          Saved: {save.data.label}.
        </p>
      ) : null}
    </form>
  );
}

export function WebhooksForm({ urls }: { urls: string[] }) {
  const router = useRouter();
  const [value, setValue] = useState(urls.join("\n"));
  const save = useMutation({
    mutationFn: () => callApi<{ count: number }>("/api/sync/webhooks", { method: "PUT", body: { urls: value } }),
    onSuccess: () => router.refresh(),
  });
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label htmlFor="webhook-urls" className="block text-xs font-medium text-slate-700">
        Webhook URLs (one per line)
      </label>
      <textarea
        id="webhook-urls"
        rows={3}
        className={`${input} font-mono`}
        placeholder="https://hooks.slack.com/services/…"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <div className="flex items-center gap-3">
        <button type="submit" className={secondary} disabled={save.isPending}>
          Save webhooks
        </button>
        {save.error ? (
          <p role="alert" className="text-sm text-rose-700">
            {save.error.message}
          </p>
        ) : null}
        {save.data ? (
          <p role="status" className="text-sm text-emerald-700">
            Saved {save.data.count} webhook(s).
          </p>
        ) : null}
      </div>
    </form>
  );
}
