/** Waiver forms and the waiver list's query string. */
import { z } from "zod";
import { CONTROL_IDS } from "@/lib/domain/controls/control-ids";
import { choiceParam, one, pageParam } from "@/lib/list-query";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

/** The longest a waiver may run: a year, so every exception is looked at again at least yearly. */
export const MAX_WAIVER_DAYS = 366;
export const WAIVER_STATUSES = ["proposed", "approved", "rejected", "revoked", "expired"] as const;

export const ProposeWaiverSchema = z.object({
  bucket: z
    .string({ error: "bucket is required" })
    .trim()
    .min(1, { error: "bucket is required (a bucket name or id)" })
    .max(255)
    .refine(hasNoControlCharacters, noControlCharactersMessage("bucket")),
  controlId: z.enum(CONTROL_IDS, { error: "control must be one of the catalog's controls" }),
  reason: z
    .string({ error: "reason is required" })
    .trim()
    .min(10, { error: "reason must say why, in at least 10 characters" })
    .max(1000, { error: "reason is limited to 1000 characters" }),
  owner: z
    .string({ error: "owner is required" })
    .trim()
    .min(2, { error: "owner is required (who answers for this exception)" })
    .max(200, { error: "owner is limited to 200 characters" }),
  expiresOn: z
    .string({ error: "expiry date is required" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expiry date is required (YYYY-MM-DD)" }),
});

export type ProposeWaiverInput = z.infer<typeof ProposeWaiverSchema>;

/** Expiry at the end of the chosen day (UTC); must be in the future and at most MAX_WAIVER_DAYS away. */
export function waiverExpiry(
  expiresOn: string,
  now: Date,
): { ok: true; expiresAt: Date } | { ok: false; error: string } {
  const expiresAt = new Date(`${expiresOn}T23:59:59.999Z`);
  if (Number.isNaN(expiresAt.getTime()) || expiresAt.toISOString().slice(0, 10) !== expiresOn)
    return { ok: false, error: "expiry date is not a real date" };
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, error: "expiry date must be in the future" };
  if (expiresAt.getTime() - now.getTime() > MAX_WAIVER_DAYS * 86_400_000)
    return { ok: false, error: `expiry date must be within ${MAX_WAIVER_DAYS} days` };
  return { ok: true, expiresAt };
}

export const DecideWaiverSchema = z.object({
  waiverId: z.uuid({ error: "waiver id is invalid" }),
  decision: z.enum(["approve", "reject", "revoke"], { error: "decision must be approve, reject or revoke" }),
  note: z.string().trim().max(500, { error: "the note is limited to 500 characters" }).optional().default(""),
});

export const WaiverQuerySchema = z.object({
  status: choiceParam(WAIVER_STATUSES, `status must be one of ${WAIVER_STATUSES.join(", ")}`),
  bucket: one(z.coerce.number({ error: "bucket must be a bucket id" }).int().min(1).optional()),
  control: choiceParam(CONTROL_IDS, "control must be a control id"),
  page: pageParam(),
});

export type WaiverQuery = z.infer<typeof WaiverQuerySchema>;
