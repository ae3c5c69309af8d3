/** The admin's "name this outside account as a known vendor" form. */
import { z } from "zod";

export const NameVendorSchema = z.object({
  accountId: z
    .string({ error: "account id is required" })
    .trim()
    .regex(/^\d{12}$/, "account id must be 12 digits"),
  name: z
    .string({ error: "vendor name is required" })
    .trim()
    .min(2, "vendor name must be at least 2 characters")
    .max(100, "vendor name is limited to 100 characters")
    .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20), "vendor name must not contain control characters"),
});

export type NameVendorInput = z.infer<typeof NameVendorSchema>;
