/** The audit log's filters (query string), shared by the page and the CSV export. */
import { z } from "zod";
import { choiceParam, one, pageParam, textParam } from "@/lib/list-query";
import { calendarDay } from "@/lib/schemas/query-text";

const isoDay = (field: string) => one(calendarDay(field).optional());

export const AuditQuerySchema = z
  .object({
    action: one(
      z
        .string()
        .regex(/^[a-z.-]{1,60}$/, { error: "action must look like waiver.approve or waiver." })
        .optional(),
    ),
    actor: textParam("actor", 200),
    outcome: choiceParam(["success", "failure", "denied"], "outcome must be success, failure or denied"),
    from: isoDay("from"),
    to: isoDay("to"),
    page: pageParam(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: "from must not be after to", path: ["from"] });

export type AuditQuery = z.infer<typeof AuditQuerySchema>;
