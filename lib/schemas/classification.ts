/** The "change classification" form on a bucket page: a level (or clear) and a required reason. */
import { z } from "zod";

export const ClassifyBucketSchema = z.object({
  bucketId: z.coerce.number({ error: "bucket id is invalid" }).int().min(1, { error: "bucket id is invalid" }),
  /** A level key, or "" to clear the manual level (back to tag / fallback). */
  levelKey: z
    .string({ error: "level is required" })
    .regex(/^([a-z0-9][a-z0-9-]{0,31})?$/, { error: "level must be a level key" }),
  reason: z
    .string({ error: "reason is required" })
    .trim()
    .min(5, { error: "reason is required (at least 5 characters): say why" })
    .max(500, { error: "reason is limited to 500 characters" }),
});
