/**
 * The browser's side of GET /api/account-options (the accounts' search, authorized in the DAL): the first accounts
 * whose name or id contains `text`, and whether there are more. Shared by the lists' account filter and the evidence
 * form's account checkboxes. A refusal or failure throws with the server's message.
 */
export interface AccountOption {
  id: string;
  name: string;
}

export interface AccountOptionsPage {
  accounts: AccountOption[];
  more: boolean;
}

export async function fetchAccountOptions(text: string, signal?: AbortSignal): Promise<AccountOptionsPage> {
  const res = await fetch(`/api/account-options?q=${encodeURIComponent(text)}`, { signal });
  const body = (await res.json().catch(() => ({}))) as Partial<AccountOptionsPage> & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `The accounts could not be searched (HTTP ${res.status}).`);
  return { accounts: body.accounts ?? [], more: body.more ?? false };
}
