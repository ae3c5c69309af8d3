/** Filters the bucket and findings lists declare alike. */
import { AccountFilter } from "@/app/(dashboard)/_components/account-filter";
import { optionsOf, type FilterField } from "@/components/list-page/filter-bar";

/** The account search box (`selected`: the account the view is filtered by, as the DAL's filter options give it). */
export function accountFilter(selected: { id: string; name: string } | null): FilterField {
  return {
    kind: "custom",
    name: "account",
    label: "Account",
    control: <AccountFilter name="account" inputId="filter-account" selected={selected} />,
  };
}

/** A select of the regions the list's rows are in. */
export function regionFilter(regions: readonly string[]): FilterField {
  return { kind: "select", name: "region", label: "Region", all: "All regions", options: optionsOf(regions) };
}
