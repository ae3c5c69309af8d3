"use client";
/**
 * The evidence form's account choice: checkboxes over the accounts GET /api/account-options finds as the user types
 * (the same search as the lists' account filter, authorized in the DAL), so the page carries 20 account names
 * rather than every one of them.
 */
import { CheckboxList, type OptionsPage } from "@/components/evidence/checkbox-list";
import { fetchAccountOptions, type AccountOption } from "@/lib/ui/account-options";

const toPage = (accounts: readonly AccountOption[], more: boolean): OptionsPage => ({
  options: accounts.map((a) => ({ value: a.id, label: `${a.name} (${a.id})` })),
  more,
});

async function findAccounts(text: string, signal: AbortSignal): Promise<OptionsPage> {
  const { accounts, more } = await fetchAccountOptions(text, signal);
  return toPage(accounts, more);
}

export function AccountCheckboxList({
  name,
  first,
  more,
  total,
}: {
  name: string;
  /** The accounts the empty filter shows (the first by name). */
  first: readonly AccountOption[];
  more: boolean;
  total: number;
}) {
  return (
    <CheckboxList
      name={name}
      legend="Accounts"
      emptyMeans="every account"
      search={{ total, first: toPage(first, more), find: findAccounts, key: "evidence-accounts" }}
    />
  );
}
