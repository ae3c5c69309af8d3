import { SearchQuerySchema } from "@/lib/schemas/search-query";
import { searchEverything } from "@/lib/server/dal/search";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

/** GET /api/search?q=pay → buckets, accounts, tag values and finding types containing the text (the ⌘K search). */
export const GET = route({
  permission: "buckets:read",
  query: SearchQuerySchema,
  handle: ({ actor, query }) => searchEverything(actor, query),
});
