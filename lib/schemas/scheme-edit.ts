/** The scheme editor's submission: the scheme document (validated by the domain's own schema) and a note. */
import { z } from "zod";

/**
 * The largest scheme document accepted (a real scheme is a few kB). The import form checks a chosen file against
 * it in the browser, because a file over the server-action body limit (1 MB) never reaches the action.
 */
export const SCHEME_MAX_BYTES = 200_000;
export const SCHEME_TOO_LARGE = "the scheme file is larger than 200 kB";

export const SchemeEditSchema = z.object({
  /** The whole scheme as JSON text (the editor serialises its state; import sends the uploaded file). */
  schemeJson: z
    .string({ error: "the scheme is missing" })
    .min(2, { error: "the scheme is empty" })
    .max(SCHEME_MAX_BYTES, { error: SCHEME_TOO_LARGE }),
  note: z.string().trim().max(300, { error: "the note is limited to 300 characters" }).optional().default(""),
});

export const SchemeVersionParam = z.coerce
  .number({ error: "version must be a number" })
  .int()
  .min(1, { error: "version starts at 1" });

/** The import form: the uploaded file (checked for size before it is read) becomes the submission's scheme text. */
export const SchemeImportSchema = z
  .object({
    file: z
      .instanceof(File, { error: "choose a scheme JSON file to import" })
      .refine((file) => file.size > 0, { error: "choose a scheme JSON file to import" })
      .refine((file) => file.size <= SCHEME_MAX_BYTES, { error: SCHEME_TOO_LARGE })
      .transform((file) => file.text())
      .pipe(SchemeEditSchema.shape.schemeJson),
    note: SchemeEditSchema.shape.note,
  })
  .transform(({ file, note }) => ({ schemeJson: file, note }));
