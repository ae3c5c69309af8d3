/** The findings list's query string (Macie findings across accounts), validated. The URL holds the view state. */
import { z } from "zod";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v === "" ? undefined : v);
const one = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema);

export const FINDING_SEVERITIES = ["Low", "Medium", "High"] as const;
export const FINDING_CATEGORIES = ["CLASSIFICATION", "POLICY"] as const;

export const FindingQuerySchema = z.object({
  account: one(
    z
      .string()
      .regex(/^\d{12}$/, "account must be a 12-digit AWS account id")
      .optional(),
  ),
  region: one(
    z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "region must look like eu-west-1")
      .optional(),
  ),
  severity: one(z.enum(FINDING_SEVERITIES, { error: "severity must be Low, Medium or High" }).optional()),
  type: one(
    z
      .string()
      .regex(/^[A-Za-z0-9:/._-]{1,100}$/, "type must be a Macie finding type such as SensitiveData:S3Object/Personal")
      .optional(),
  ),
  category: one(z.enum(FINDING_CATEGORIES, { error: "category must be CLASSIFICATION or POLICY" }).optional()),
  bucket: one(
    z
      .string()
      .trim()
      .max(63, "a bucket name has at most 63 characters")
      .refine(hasNoControlCharacters, noControlCharactersMessage("bucket"))
      .optional(),
  ),
  archived: one(
    z
      .enum(["include", "only"], {
        error: "archived must be include or only (archived findings are hidden by default)",
      })
      .optional(),
  ),
  page: z.preprocess(
    firstValue,
    z.coerce.number({ error: "page must be a number" }).int().min(1, "page starts at 1").max(100_000).default(1),
  ),
  pageSize: z.preprocess(
    firstValue,
    z.coerce
      .number()
      .pipe(z.union([z.literal(25), z.literal(50), z.literal(100)], { error: "pageSize must be 25, 50 or 100" }))
      .default(50),
  ),
});

export type FindingQuery = z.infer<typeof FindingQuerySchema>;
export type FindingFilters = Omit<FindingQuery, "page" | "pageSize">;
