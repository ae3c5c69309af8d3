import { WebhookFormSchema } from "@/lib/schemas/webhooks";
import { updateWebhooks } from "@/lib/server/dal/sync";
import { route } from "@/lib/server/http/route";

/** Body { urls: "one URL per line" }: https to public addresses only (internal targets: CUSTODY_WEBHOOK_ALLOW_PRIVATE). */
export const PUT = route({
  permission: "accounts:manage",
  body: WebhookFormSchema,
  handle: ({ actor, body }) => updateWebhooks(actor, body),
});
