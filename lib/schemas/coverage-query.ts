/** The coverage page's query string: how to group, and which scope the trend (and the groups) are limited to. */
import { z } from "zod";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v === "" ? undefined : v);
const one = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema);

export const COVERAGE_GROUPINGS = ["account", "ou", "owner"] as const;
/** Groups listed before "show all": a table of 1,000 accounts is megabytes of HTML nobody scrolls. */
export const COVERAGE_GROUPS_SHOWN = 100;

export const CoverageQuerySchema = z
  .object({
    by: one(z.enum(COVERAGE_GROUPINGS, { error: "by must be account, ou or owner" }).default("account")),
    account: one(
      z
        .string()
        .regex(/^\d{12}$/, "account must be a 12-digit AWS account id")
        .optional(),
    ),
    ou: one(
      z
        .string()
        .trim()
        .min(1)
        .max(300, "ou is limited to 300 characters")
        .refine(hasNoControlCharacters, noControlCharactersMessage("ou"))
        .optional(),
    ),
    owner: one(
      z
        .string()
        .trim()
        .min(1)
        .max(256, "owner is limited to 256 characters")
        .refine(hasNoControlCharacters, noControlCharactersMessage("owner"))
        .optional(),
    ),
    /** Show every group (by default the page lists the largest COVERAGE_GROUPS_SHOWN; the totals always count all). */
    all: one(z.enum(["1"], { error: "all must be 1 or left out" }).optional()),
    days: z.preprocess(
      firstValue,
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
