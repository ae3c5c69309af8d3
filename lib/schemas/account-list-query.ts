/** The Accounts page's query string: a search, the latest sync's outcome, and the page (accounts 50 to a page). */
import { z } from "zod";
import { choiceParam, pageParam, textParam } from "@/lib/list-query";

export const ACCOUNT_SYNC_STATUSES = ["succeeded", "partial", "failed", "never"] as const;
export const ACCOUNTS_PER_PAGE = 50;
/** How the filter names each outcome (as the sync badge shows it). */
export const SYNC_STATUS_LABEL: Record<(typeof ACCOUNT_SYNC_STATUSES)[number], string> = {
  succeeded: "Synced",
  partial: "Partial",
  failed: "Failed",
  never: "Never synced",
};

export const AccountListQuerySchema = z.object({
  /** Part of an account's name or id. */
  q: textParam("q", 100, { tooLong: "the search is at most 100 characters" }),
  status: choiceParam(ACCOUNT_SYNC_STATUSES, `status must be one of ${ACCOUNT_SYNC_STATUSES.join(", ")}`),
  page: pageParam(),
});

export type AccountListQuery = z.infer<typeof AccountListQuerySchema>;
