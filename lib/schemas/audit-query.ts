/** The audit log's filters (query string), shared by the page and the CSV export. */
import { z } from "zod";
import { calendarDay, hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v === "" || v === null ? undefined : v);
const one = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema);
const isoDay = (field: string) => one(calendarDay(field).optional());

export const AuditQuerySchema = z
  .object({
    action: one(
      z
        .string()
        .regex(/^[a-z.-]{1,60}$/, { error: "action must look like waiver.approve or waiver." })
        .optional(),
    ),
    actor: one(
      z
        .string()
        .trim()
        .max(200, { error: "actor is limited to 200 characters" })
        .refine(hasNoControlCharacters, noControlCharactersMessage("actor"))
        .optional(),
    ),
    outcome: one(
      z.enum(["success", "failure", "denied"], { error: "outcome must be success, failure or denied" }).optional(),
    ),
    from: isoDay("from"),
    to: isoDay("to"),
    page: one(
      z.coerce
        .number({ error: "page must be a number" })
        .int()
        .min(1, { error: "page starts at 1" })
        .max(100_000)
        .default(1),
    ),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: "from must not be after to", path: ["from"] });

export type AuditQuery = z.infer<typeof AuditQuerySchema>;
