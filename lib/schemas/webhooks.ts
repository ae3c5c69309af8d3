/**
 * Webhook URLs for sync notifications (admin setting): https to public addresses only. Internal targets (and plain
 * http to this machine, for test receivers) only with CUSTODY_WEBHOOK_ALLOW_PRIVATE=true — see lib/net/webhook-egress.ts.
 * Names are resolved and checked by the DAL when saving and again at every delivery.
 */
import { z } from "zod";
import { literalHostProblem, webhookPrivateTargetsAllowed } from "@/lib/net/webhook-egress";

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
    const allowPrivate = webhookPrivateTargetsAllowed();
    if (!(url.protocol === "https:" || (url.protocol === "http:" && allowPrivate && LOCAL_HOSTS.has(url.hostname)))) {
      ctx.addIssue({
        code: "custom",
        message: `Webhook URLs must use https:// (plain http:// only for localhost with CUSTODY_WEBHOOK_ALLOW_PRIVATE=true): ${value}`,
      });
      return;
    }
    const problem = allowPrivate ? null : literalHostProblem(url.hostname);
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: `Webhook URLs cannot point at internal services: ${problem}. (CUSTODY_WEBHOOK_ALLOW_PRIVATE=true allows them.)`,
      });
    }
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
    .transform((s) =>
      s
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(WebhookSettingsSchema.shape.urls),
});
