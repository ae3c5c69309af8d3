/**
 * The environment, validated once. Each missing or malformed value gets its own clear message.
 * Hub AWS credentials are NOT here: they come from the SDK's standard provider chain and are never stored.
 */
import { z } from "zod";
import { parseTrustedProxies } from "@/lib/client-address";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const EnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is required (postgresql://user:password@host:5432/database)" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgresql://"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  CUSTODY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Serve cookies with the Secure flag. Defaults to true when the public URL is https. */
  CUSTODY_PUBLIC_URL: z
    .url({ error: "CUSTODY_PUBLIC_URL must be a URL such as https://custody.example.com" })
    .optional(),
  CUSTODY_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  CUSTODY_SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Standard SDK variable: point every AWS client at an AWS-compatible endpoint. */
  AWS_ENDPOINT_URL: z.url({ error: "AWS_ENDPOINT_URL must be a URL" }).optional(),
  CUSTODY_S3_FORCE_PATH_STYLE: booleanFlag,
  /** Let webhooks reach loopback, private, link-local and unique-local addresses (read by lib/net/webhook-egress.ts). */
  CUSTODY_WEBHOOK_ALLOW_PRIVATE: booleanFlag,
  /** Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs / CIDR blocks); default none. */
  CUSTODY_TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((value, ctx) => {
      const parsed = parseTrustedProxies(value);
      if (!parsed.ok)
        ctx.addIssue({
          code: "custom",
          message: `CUSTODY_TRUSTED_PROXIES: ${parsed.error} (e.g. 10.0.0.1,10.1.0.0/16)`,
        });
    }),
  /** The hub account's id, shown as the HubAccountId parameter on the Accounts page (optional). */
  CUSTODY_HUB_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, "CUSTODY_HUB_ACCOUNT_ID must be a 12-digit AWS account id")
    .optional(),
  /** Build evidence bundles on the web thread instead of a worker thread (a fallback, and for comparison). */
  CUSTODY_EVIDENCE_IN_PROCESS: booleanFlag,
  /** Encrypts TOTP secrets at rest (AES-256-GCM under its SHA-256). Without it they are stored unencrypted. */
  CUSTODY_MFA_ENCRYPTION_KEY: z
    .string()
    .min(32, "CUSTODY_MFA_ENCRYPTION_KEY must have at least 32 characters (e.g. openssl rand -base64 32)")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | null = null;

export class EnvError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Custody cannot start: the environment is not valid.\n${lines.join("\n")}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The settings alone, for code that runs where no DATABASE_URL is set (the in-process sync worker of the embedded
 * default gets its database another way). Validated by the same schema; not cached, so tests may change the source.
 */
export function settingsFrom(source: NodeJS.ProcessEnv = process.env): Omit<Env, "DATABASE_URL"> {
  const result = EnvSchema.omit({ DATABASE_URL: true }).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Custody cannot start: the environment is not valid.\n${lines.join("\n")}`);
  }
  return result.data;
}
