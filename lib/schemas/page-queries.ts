/**
 * Whether a page's query string passes the schema its section declares (lib/sections.ts). The pages parse their own
 * searchParams with the same schema and show what is wrong in the page; proxy.ts checks the query first so that the
 * response to a bad query carries HTTP 400 (an App Router page cannot set a status other than 404 itself).
 */
import type { ZodType } from "zod";
import { searchParamsRecord } from "@/lib/list-query";
import { SECTIONS } from "@/lib/sections";

const PAGE_QUERY_SCHEMAS: ReadonlyMap<string, ZodType> = new Map(
  SECTIONS.flatMap((s) => (s.query ? [[s.href, s.query] as const] : [])),
);

/** True when `pathname` takes a validated query and `params` does not pass it. */
export function pageQueryIsInvalid(pathname: string, params: URLSearchParams): boolean {
  const schema = PAGE_QUERY_SCHEMAS.get(pathname);
  return schema !== undefined && !schema.safeParse(searchParamsRecord(params)).success;
}
