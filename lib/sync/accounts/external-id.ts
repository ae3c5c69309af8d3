/**
 * ExternalIds. Custody generates one per installation (the same value goes into the single-account template and
 * the StackSet, so a whole organisation is one deployment); an account may be linked with its own instead.
 * Not a secret (AWS: it guards against the confused deputy, not against guessing), but unpredictable all the same.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/prisma";

export const EXTERNAL_ID_SETTING_KEY = "aws.externalId";

export function generateExternalId(random: (n: number) => Buffer = randomBytes): string {
  return `custody-${random(16).toString("hex")}`;
}

export async function installationExternalId(client: Db): Promise<string> {
  const existing = await client.appSetting.findUnique({
    where: { key: EXTERNAL_ID_SETTING_KEY },
    select: { value: true },
  });
  const value = (existing?.value as { externalId?: unknown } | null)?.externalId;
  if (typeof value === "string") return value;
  // ON CONFLICT DO NOTHING: when two requests race on a fresh installation, the first writer's value wins.
  const value_ = JSON.stringify({ externalId: generateExternalId() });
  await client.$executeRaw`INSERT INTO app_setting (key, value, updated_at) VALUES (${EXTERNAL_ID_SETTING_KEY}, ${value_}::jsonb, now()) ON CONFLICT (key) DO NOTHING`;
  return installationExternalId(client);
}
