/** The Account posture page's query string (/account-posture): which accounts, by control verdict, OU or name. */
import { z } from "zod";
import { ACCOUNT_CONTROL_IDS } from "@/lib/domain/account-controls/catalog";
import { choiceParam, pageParam, sortParams, textParam } from "@/lib/list-query";

export const ACCOUNT_POSTURE_STATUSES = ["fail", "unknown", "region-not-enabled", "pass"] as const;
export const ACCOUNT_POSTURE_SORTS = ["failing", "name", "ou"] as const;

export const AccountPostureQuerySchema = z.object({
  /** With `status`: accounts whose verdict on this control is that status. Alone: accounts failing it. */
  control: choiceParam(ACCOUNT_CONTROL_IDS, `control must be one of ${ACCOUNT_CONTROL_IDS.join(", ")}`),
  /** Without `control`: accounts with at least one control of this status (pass: every control passes). */
  status: choiceParam(ACCOUNT_POSTURE_STATUSES, "status must be fail, unknown, region-not-enabled or pass"),
  ou: textParam("ou", 300),
  q: textParam("q", 100, { tooLong: "search text is limited to 100 characters" }),
  ...sortParams(ACCOUNT_POSTURE_SORTS),
  page: pageParam(),
});

export type AccountPostureQuery = z.infer<typeof AccountPostureQuerySchema>;
