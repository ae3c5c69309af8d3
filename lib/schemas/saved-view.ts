/**
 * A saved view: a list page's filters and sort (its URL query) under a name. The query must pass the page's own
 * query schema, so a saved view always opens a view the page can show; paging is dropped (a view starts at page 1).
 */
import { z } from "zod";
import { searchParamsRecord } from "@/lib/list-query";
import { AuditQuerySchema } from "@/lib/schemas/audit-query";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { FindingQuerySchema } from "@/lib/schemas/finding-query";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";
import { WaiverQuerySchema } from "@/lib/schemas/waiver";

/** The list pages that keep saved views, with their path and query schema. */
export const SAVED_VIEW_PAGES = {
  buckets: { path: "/buckets", schema: BucketQuerySchema },
  findings: { path: "/findings", schema: FindingQuerySchema },
  waivers: { path: "/waivers", schema: WaiverQuerySchema },
  audit: { path: "/audit", schema: AuditQuerySchema },
} as const;
export type SavedViewPage = keyof typeof SAVED_VIEW_PAGES;
const PAGE_KEYS = Object.keys(SAVED_VIEW_PAGES) as [SavedViewPage, ...SavedViewPage[]];

export const SAVED_VIEW_NAME_MAX = 60;
export const SAVED_VIEW_QUERY_MAX = 2000;
/** How many views one user keeps per page (a menu, not a database). */
export const SAVED_VIEWS_PER_PAGE = 50;
const PAGING = ["page", "after", "before"];

export const SavedViewPageSchema = z.enum(PAGE_KEYS, { error: "page must be one of the list pages" });

export const SaveViewSchema = z
  .object({
    page: SavedViewPageSchema,
    name: z
      .string({ error: "give the view a name" })
      .trim()
      .min(1, "give the view a name")
      .max(SAVED_VIEW_NAME_MAX, `a view's name is limited to ${SAVED_VIEW_NAME_MAX} characters`)
      .refine(hasNoControlCharacters, noControlCharactersMessage("name")),
    query: z
      .string()
      .trim()
      .max(SAVED_VIEW_QUERY_MAX, `a view's filters are limited to ${SAVED_VIEW_QUERY_MAX} characters`)
      .transform((q) => q.replace(/^\?/, "")),
  })
  .transform((view, ctx) => {
    const params = new URLSearchParams(view.query);
    for (const p of PAGING) params.delete(p);
    const parsed = SAVED_VIEW_PAGES[view.page].schema.safeParse(searchParamsRecord(params));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: "custom", message: `the view's filters: ${issue.message}` });
      }
      return z.NEVER;
    }
    return { ...view, query: params.toString() };
  });
export type SaveView = z.infer<typeof SaveViewSchema>;

export const DeleteViewSchema = z.object({ id: z.uuid({ error: "id must be a saved view's id" }) });
