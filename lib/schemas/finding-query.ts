/** The findings list's query string (Macie findings across accounts), validated. The URL holds the view state. */
import { z } from "zod";
import { accountParam, choiceParam, one, pageParam, pageSizeParam, regionParam, textParam } from "@/lib/list-query";

export const FINDING_SEVERITIES = ["Low", "Medium", "High"] as const;
export const FINDING_CATEGORIES = ["CLASSIFICATION", "POLICY"] as const;

export const FindingQuerySchema = z.object({
  account: accountParam(),
  region: regionParam(),
  severity: choiceParam(FINDING_SEVERITIES, "severity must be Low, Medium or High"),
  type: one(
    z
      .string()
      .regex(/^[A-Za-z0-9:/._-]{1,100}$/, "type must be a Macie finding type such as SensitiveData:S3Object/Personal")
      .optional(),
  ),
  category: choiceParam(FINDING_CATEGORIES, "category must be CLASSIFICATION or POLICY"),
  /** Part of a bucket name (the whole name with match=exact). */
  bucket: textParam("bucket", 63, { tooLong: "a bucket name has at most 63 characters" }),
  match: choiceParam(["exact"], "match must be exact (or absent: the bucket filter matches part of a name)"),
  archived: choiceParam(
    ["include", "only"],
    "archived must be include or only (archived findings are hidden by default)",
  ),
  page: pageParam(),
  pageSize: pageSizeParam(),
  /** "all": count a bucket-name search to the end even where the list would stop at 10,000 (FINDING_COUNT_LIMIT). */
  count: choiceParam(["all"], "count must be all (count the whole view)"),
});

export type FindingQuery = z.infer<typeof FindingQuerySchema>;
export type FindingFilters = Omit<FindingQuery, "page" | "pageSize" | "count">;
