/** The global search's query string (GET /api/search?q=…), validated. */
import { z } from "zod";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

export const SEARCH_TEXT_MIN = 2;
export const SEARCH_TEXT_MAX = 100;

export const SearchQuerySchema = z.object({
  q: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v) ?? "",
    z
      .string()
      .trim()
      .min(SEARCH_TEXT_MIN, `type at least ${SEARCH_TEXT_MIN} characters to search`)
      .max(SEARCH_TEXT_MAX, `search text is limited to ${SEARCH_TEXT_MAX} characters`)
      .refine(hasNoControlCharacters, noControlCharactersMessage("q")),
  ),
});

export type SearchQuery = z.infer<typeof SearchQuerySchema>;
