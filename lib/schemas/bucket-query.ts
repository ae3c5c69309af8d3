/** The bucket list's query string: filters, sort and page, validated. The URL holds the whole view state. */
import { z } from "zod";

/** Query strings can repeat a key (?a=1&a=2) and submit empty fields: take the first value, treat "" as absent. */
const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v === "" ? undefined : v);
const one = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema);

export const BUCKET_SORTS = ["risk", "name", "account", "region", "level", "lastSeen"] as const;

export const BucketQuerySchema = z.object({
  account: one(z.string().regex(/^\d{12}$/, "account must be a 12-digit AWS account id").optional()),
  region: one(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "region must look like eu-west-1").optional()),
  level: one(z.string().regex(/^[a-z0-9-]{1,40}$/, "level must be a level key").optional()),
  source: one(z.enum(["manual", "tag", "fallback"], { error: "source must be manual, tag or fallback" }).optional()),
  exposure: one(z.enum(["public", "not-public", "unknown"], { error: "exposure must be public, not-public or unknown" }).optional()),
  q: one(z.string().trim().max(100, "search text is limited to 100 characters").optional()),
  sort: one(z.enum(BUCKET_SORTS, { error: `sort must be one of ${BUCKET_SORTS.join(", ")}` }).optional()),
  dir: one(z.enum(["asc", "desc"], { error: "dir must be asc or desc" }).optional()),
  page: z.preprocess(
    firstValue,
    z.coerce.number({ error: "page must be a number" }).int().min(1, "page starts at 1").max(100_000).default(1),
  ),
  pageSize: z.preprocess(
    firstValue,
    z.coerce.number().pipe(z.union([z.literal(25), z.literal(50), z.literal(100)], { error: "pageSize must be 25, 50 or 100" })).default(50),
  ),
});

export type BucketQuery = z.infer<typeof BucketQuerySchema>;
