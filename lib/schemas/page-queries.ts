/**
 * Which schema validates the query string of each page that takes one. The pages parse their own searchParams with
 * the same schema and show what is wrong in the page; proxy.ts checks the query first so that the response to a
 * bad query carries HTTP 400 (an App Router page cannot set a status other than 404 itself).
 */
import type { ZodType } from "zod";
import { searchParamsRecord } from "@/lib/list-query";
import { AuditQuerySchema } from "@/lib/schemas/audit-query";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { CoverageQuerySchema } from "@/lib/schemas/coverage-query";
import { FindingQuerySchema } from "@/lib/schemas/finding-query";
import { WaiverQuerySchema } from "@/lib/schemas/waiver";

export const PAGE_QUERY_SCHEMAS: Readonly<Record<string, ZodType>> = {
  "/buckets": BucketQuerySchema,
  "/findings": FindingQuerySchema,
  "/coverage": CoverageQuerySchema,
  "/audit": AuditQuerySchema,
  "/waivers": WaiverQuerySchema,
};

/** True when `pathname` takes a validated query and `params` does not pass it. */
export function pageQueryIsInvalid(pathname: string, params: URLSearchParams): boolean {
  const schema = PAGE_QUERY_SCHEMAS[pathname];
  return schema !== undefined && !schema.safeParse(searchParamsRecord(params)).success;
}
