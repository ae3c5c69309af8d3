/** fetch for the Accounts page's client components: JSON in, JSON out, the server's message as the error. */
export async function callApi<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    cache: "no-store",
  });
  const data = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new Error(data.message ?? `The server answered ${res.status}.`);
  return data as T;
}

export const SYNC_STATUS_KEY = ["sync-status"] as const;
