/** Worker tuning from the environment, validated (the same variables for npm start, npm run worker and sync --wait). */
import { z } from "zod";

const WorkerEnv = z.object({
  CUSTODY_WORKER_CONCURRENCY: z.coerce
    .number({ error: "CUSTODY_WORKER_CONCURRENCY must be a number" })
    .int()
    .min(1)
    .max(64)
    .default(8),
  CUSTODY_WORKER_MAX_CALLS: z.coerce
    .number({ error: "CUSTODY_WORKER_MAX_CALLS must be a number" })
    .int()
    .min(1)
    .max(5000)
    .default(256),
  CUSTODY_SYNC_GLOBAL_CONCURRENCY: z.coerce
    .number({ error: "CUSTODY_SYNC_GLOBAL_CONCURRENCY must be a number" })
    .int()
    .min(1)
    .max(1000)
    .default(32),
  CUSTODY_WORKER_POLL_SECONDS: z.coerce
    .number()
    .min(0.5, "CUSTODY_WORKER_POLL_SECONDS must be at least 0.5")
    .max(60)
    .default(2),
  CUSTODY_SYNC_JOB_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(120),
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
});

export function workerSettingsFrom(source: NodeJS.ProcessEnv = process.env) {
  const parsed = WorkerEnv.safeParse(
    Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith("CUSTODY_") && v !== "")),
  );
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  const e = parsed.data;
  return {
    concurrency: e.CUSTODY_WORKER_CONCURRENCY,
    maxCallsInFlight: e.CUSTODY_WORKER_MAX_CALLS,
    globalConcurrency: e.CUSTODY_SYNC_GLOBAL_CONCURRENCY,
    pollingIntervalSeconds: e.CUSTODY_WORKER_POLL_SECONDS,
    jobTimeoutSeconds: e.CUSTODY_SYNC_JOB_TIMEOUT_MINUTES * 60,
    syncOptions: e.CUSTODY_REGIONS ? { regions: e.CUSTODY_REGIONS } : undefined,
  };
}
