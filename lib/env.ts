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

const DatabaseUrl = z
  .string({ error: "DATABASE_URL is required (postgresql://user:password@host:5432/database)" })
  .trim()
  .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgresql://");

const positiveInt = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback);

/** Everything but the database URL: what a process needs whichever way it found its database. */
const SettingsSchema = z.object({
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
  /** Encode bucket exports on the web thread instead of a worker thread (a fallback, and for comparison). */
  CUSTODY_EXPORT_IN_PROCESS: booleanFlag,
  /** Encrypts TOTP secrets at rest (AES-256-GCM under its SHA-256). Without it they are stored unencrypted. */
  CUSTODY_MFA_ENCRYPTION_KEY: z
    .string()
    .min(32, "CUSTODY_MFA_ENCRYPTION_KEY must have at least 32 characters (e.g. openssl rand -base64 32)")
    .optional(),
  /** Password of the demo users (else one is generated and kept in the data directory's demo-logins.json). */
  CUSTODY_DEMO_PASSWORD: z.string().optional(),
  /** Where the embedded Postgres and the demo logins live (default: .custody/ in the project). */
  CUSTODY_DATA_DIR: z.string().optional(),
  /** "demo" answers every AWS call from the fixture AWS (the demo organisation); unset means real AWS. */
  CUSTODY_FIXTURE_AWS: z.string().optional(),
  /** The hub's own region for STS (standard SDK variables). */
  AWS_REGION: z.string().optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  /** Evidence worker thread's old-generation and young-generation heap caps, MB. */
  CUSTODY_EVIDENCE_WORKER_HEAP_MB: positiveInt("CUSTODY_EVIDENCE_WORKER_HEAP_MB", 64, 65536, 160),
  CUSTODY_EVIDENCE_WORKER_YOUNG_MB: positiveInt("CUSTODY_EVIDENCE_WORKER_YOUNG_MB", 1, 1024, 8),
  /** Bucket export (CSV/JSON download) worker thread's heap caps, MB (lib/export/bucket-export-in-worker.ts). */
  CUSTODY_EXPORT_WORKER_HEAP_MB: positiveInt("CUSTODY_EXPORT_WORKER_HEAP_MB", 16, 65536, 64),
  CUSTODY_EXPORT_WORKER_YOUNG_MB: positiveInt("CUSTODY_EXPORT_WORKER_YOUNG_MB", 1, 1024, 8),
  /** Evaluations of at least this many buckets run in worker threads (lib/evaluation/evaluate-in-workers.ts). */
  CUSTODY_EVALUATION_WORKERS_FROM: positiveInt("CUSTODY_EVALUATION_WORKERS_FROM", 1, 1_000_000_000, 20_000),
  // Sync worker tuning (the same variables for npm start, npm run worker and sync --wait; lib/sync/jobs/worker-settings.ts).
  CUSTODY_WORKER_CONCURRENCY: positiveInt("CUSTODY_WORKER_CONCURRENCY", 1, 64, 8),
  CUSTODY_WORKER_MAX_CALLS: positiveInt("CUSTODY_WORKER_MAX_CALLS", 1, 5000, 256),
  CUSTODY_SYNC_GLOBAL_CONCURRENCY: positiveInt("CUSTODY_SYNC_GLOBAL_CONCURRENCY", 1, 1000, 32),
  CUSTODY_WORKER_POLL_SECONDS: z.coerce
    .number({ error: "CUSTODY_WORKER_POLL_SECONDS must be a number" })
    .min(0.5, "CUSTODY_WORKER_POLL_SECONDS must be at least 0.5")
    .max(60, "CUSTODY_WORKER_POLL_SECONDS must be at most 60")
    .default(2),
  CUSTODY_SYNC_JOB_TIMEOUT_MINUTES: positiveInt("CUSTODY_SYNC_JOB_TIMEOUT_MINUTES", 1, 24 * 60, 120),
  /**
   * Regions to read AWS Config and Macie in, comma-separated (e.g. "us-east-1,eu-west-1"). Unset: the regions the
   * account's buckets are in, plus its home region. Setting it also lets S3 and the regional collectors overlap.
   */
  CUSTODY_REGIONS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "CUSTODY_REGIONS must list regions like us-east-1,eu-west-1"),
        )
        .min(1),
    )
    .optional(),
  /**
   * The hub's bucket-change queue (deploy/custody-events-hub.json, output QueueUrl): workers long-poll it and re-read a
   * changed bucket within seconds. Unset: daily syncs only.
   */
  CUSTODY_EVENTS_QUEUE_URL: z
    .url({
      error: "CUSTODY_EVENTS_QUEUE_URL must be the queue's URL (https://sqs.<region>.amazonaws.com/<account>/<name>)",
    })
    .optional(),
  /** Seconds to gather events after the first one, so a burst on one bucket costs one re-read. */
  CUSTODY_EVENTS_WINDOW_SECONDS: z.coerce
    .number({ error: "CUSTODY_EVENTS_WINDOW_SECONDS must be a number" })
    .min(0, "CUSTODY_EVENTS_WINDOW_SECONDS must be at least 0")
    .max(30, "CUSTODY_EVENTS_WINDOW_SECONDS must be at most 30 (the queue's visibility timeout is 60 s)")
    .default(3),
  /** Listen address and port of `npm start` (the embedded demo listens on 127.0.0.1 unless HOST is set). */
  HOST: z.string().optional(),
  PORT: positiveInt("PORT", 1, 65535, 3000),
});

const EnvSchema = SettingsSchema.extend({ DATABASE_URL: DatabaseUrl });

export type Env = z.infer<typeof EnvSchema>;

/** Every variable an operator sets (README's table lists each one: env.test.ts). NODE_ENV is the runtime's own. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape).filter(
  (name) => name !== "NODE_ENV",
);
export type Settings = z.infer<typeof SettingsSchema>;

/** Where variables are read from: process.env, or a test's own record. */
export type EnvSource = Record<string, string | undefined>;

/**
 * The process's environment as an EnvSource: the default of every `…From(source)` reader elsewhere, so this file
 * stays the only one that touches process.env (lint holds it).
 */
export function processEnv(): EnvSource {
  return process.env;
}

/** Running inside Next.js (set by Next itself, not by an operator): the server bundle, not a tsx script or a test. */
export function underNextRuntime(source: EnvSource = process.env): boolean {
  return Boolean(source.NEXT_RUNTIME);
}

let cached: Env | null = null;
let cachedSettings: Settings | null = null;

export class EnvError extends Error {}

/** An empty variable counts as unset (a shell's `FOO= npm start`, a compose file's blank value). */
function withoutEmpty(source: EnvSource): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
}

function parseWith<T>(schema: z.ZodType<T>, source: EnvSource): T {
  const result = schema.safeParse(withoutEmpty(source));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Custody cannot start: the environment is not valid.\n${lines.join("\n")}`);
  }
  return result.data;
}

export function parseEnv(source: EnvSource): Env {
  return parseWith(EnvSchema, source);
}

/** The whole environment, DATABASE_URL required: the web app and anything that connects by URL. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The settings alone, for code that runs where no DATABASE_URL is set (the in-process sync worker of the embedded
 * default gets its database another way). Validated by the same schema; not cached, so tests may pass their own source.
 */
export function settingsFrom(source: EnvSource = process.env): Settings {
  return parseWith(SettingsSchema, source);
}

/** settingsFrom(process.env), parsed once: for code that reads a setting often (the evidence worker's limits). */
export function settings(): Settings {
  cachedSettings ??= settingsFrom(process.env);
  return cachedSettings;
}

/**
 * DATABASE_URL when one is configured (validated), else null: the embedded default is used. The only reader of the
 * variable besides env().
 */
export function configuredDatabaseUrl(source: EnvSource = process.env): string | null {
  const value = source.DATABASE_URL?.trim();
  if (!value) return null;
  const parsed = DatabaseUrl.safeParse(value);
  if (!parsed.success) throw new EnvError(`Custody cannot start: ${parsed.error.issues[0]!.message}.`);
  try {
    new URL(parsed.data);
  } catch {
    throw new EnvError(
      "Custody cannot start: DATABASE_URL is not a valid PostgreSQL URL (expected postgresql://user:password@host:5432/database).",
    );
  }
  return parsed.data;
}

/**
 * The log level alone, read when the logger is created (module load): only this one variable is validated there, so
 * an unrelated bad setting is reported by the code that uses it, through the logger, rather than breaking every import.
 */
export function logLevelFrom(source: EnvSource = process.env): Settings["CUSTODY_LOG_LEVEL"] {
  return parseWith(SettingsSchema.pick({ CUSTODY_LOG_LEVEL: true }), source).CUSTODY_LOG_LEVEL;
}

/** For the CLI entry points: an invalid environment prints its message and exits with code 2, not a stack trace. */
export function orExitOnInvalidEnv<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
