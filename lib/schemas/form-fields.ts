/** How HTML forms send what is not a single text field, for the schemas of server actions' forms. */
import { z } from "zod";

/** A field that may repeat (a group of checkboxes): none checked → [], one → [value], several → their values. */
export const repeated = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));

/** A yes/no field sent as "true" (anything else, or nothing, is false). */
export const flag = z.preprocess((v) => v === "true", z.boolean());
