/**
 * The Third parties page's query string (/third-parties): the register limited to the buckets of one account, OU or
 * owner tag — the scopes the coverage page links from, with the bucket list's meaning (an OU: its own accounts).
 */
import { z } from "zod";
import { accountParam, textParam } from "@/lib/list-query";

export const ThirdPartiesQuerySchema = z
  .object({
    account: accountParam(),
    ou: textParam("ou", 300, { required: true }),
    owner: textParam("owner", 256, { required: true }),
  })
  .superRefine((q, ctx) => {
    if ([q.account, q.ou, q.owner].filter(Boolean).length > 1) {
      ctx.addIssue({ code: "custom", path: ["ou"], message: "choose one scope: account, ou or owner" });
    }
  });

export type ThirdPartiesQuery = z.infer<typeof ThirdPartiesQuerySchema>;
