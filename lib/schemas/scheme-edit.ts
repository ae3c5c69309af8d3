/** The scheme editor's submission: the scheme document (validated by the domain's own schema) and a note. */
import { z } from "zod";

export const SchemeEditSchema = z.object({
  /** The whole scheme as JSON text (the editor serialises its state; import sends the uploaded file). */
  schemeJson: z.string({ error: "the scheme is missing" }).min(2, { error: "the scheme is empty" }).max(200_000, { error: "the scheme file is larger than 200 kB" }),
  note: z.string().trim().max(300, { error: "the note is limited to 300 characters" }).optional().default(""),
});

export const SchemeVersionParam = z.coerce.number({ error: "version must be a number" }).int().min(1, { error: "version starts at 1" });
