/** The coverage page's query string: how to group, and which scope the trend (and the groups) are limited to. */
import { z } from "zod";
import { accountParam, one, pageParam, textParam } from "@/lib/list-query";

export const COVERAGE_GROUPINGS = ["account", "ou", "owner"] as const;
/**
 * Groups per page, largest first: a table of 10,000 accounts is megabytes of HTML nobody scrolls, and each row's
 * dozen drill-down links cost ≈ 6 KB of HTML and payload.
 */
export const COVERAGE_GROUPS_PER_PAGE = 50;

export const CoverageQuerySchema = z
  .object({
    by: one(z.enum(COVERAGE_GROUPINGS, { error: "by must be account, ou or owner" }).default("account")),
    account: accountParam(),
    ou: textParam("ou", 300, { required: true }),
    owner: textParam("owner", 256, { required: true }),
    /** The page of groups, largest first (COVERAGE_GROUPS_PER_PAGE each); the totals always count every group. */
    page: pageParam(),
    days: one(
      z.coerce
        .number({ error: "days must be a number" })
        .int()
        .min(7, "days must be at least 7")
        .max(365, "days is at most 365")
        .default(90),
    ),
  })
  .superRefine((q, ctx) => {
    if ([q.account, q.ou, q.owner].filter(Boolean).length > 1) {
      ctx.addIssue({ code: "custom", path: ["ou"], message: "choose one scope: account, ou or owner" });
    }
  });

export type CoverageQuery = z.infer<typeof CoverageQuerySchema>;
