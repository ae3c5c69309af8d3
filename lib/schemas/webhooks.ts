/** Webhook URLs for sync notifications (admin setting): https only, except plain http to this machine for testing. */
import { z } from "zod";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export const WebhookUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter a webhook URL.")
  .max(2000, "That URL is too long.")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `"${value}" is not a URL.` });
      return;
    }
    if (url.protocol === "https:") return;
    if (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)) return;
    ctx.addIssue({ code: "custom", message: `Webhook URLs must use https:// (plain http:// only for localhost): ${value}` });
  });

export const WebhookSettingsSchema = z.object({
  urls: z.array(WebhookUrlSchema).max(10, "At most 10 webhooks."),
});

export type WebhookSettings = z.infer<typeof WebhookSettingsSchema>;

/** The settings form sends one URL per line. */
export const WebhookFormSchema = z.object({
  urls: z
    .string()
    .max(20_000)
    .transform((s) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
    .pipe(WebhookSettingsSchema.shape.urls),
});
