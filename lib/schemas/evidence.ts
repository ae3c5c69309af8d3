/** Evidence bundle requests (scope + snapshot) and verification input. */
import { z } from "zod";
import { CONTROL_IDS } from "@/lib/domain/controls/control-ids";

const many = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]),
    z.array(item).max(1000, { error: "at most 1000 values per filter" }),
  );

export const EvidenceRequestSchema = z.object({
  syncRunId: z.uuid({ error: "snapshot: choose a completed sync run" }),
  accounts: many(z.string().regex(/^\d{12}$/, { error: "accounts: each must be a 12-digit AWS account id" })),
  ous: many(z.string().min(1).max(500, { error: "ous: an OU path is at most 500 characters" })),
  levels: many(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: "levels: each must be a level key" })),
  controls: many(z.enum(CONTROL_IDS, { error: "controls: each must be a control id" })),
});

export type EvidenceRequest = z.infer<typeof EvidenceRequestSchema>;

export const ManifestHashSchema = z
  .string({ error: "hash is required" })
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, { error: "hash must be a SHA-256 in hex (64 characters 0-9, a-f)" });

/** An issued bundle, by the id of its record (GET /api/evidence/bundle/[id]: download it again). */
export const EvidenceBundleParamsSchema = z.object({
  id: z.uuid({ error: "id must be the id of an issued bundle (a UUID)" }),
});
