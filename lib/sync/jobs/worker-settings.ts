/** Worker tuning from the environment, validated (the same variables for npm start, npm run worker and sync --wait). */
import { z } from "zod";

const WorkerEnv = z.object({
  CUSTODY_WORKER_CONCURRENCY: z.coerce.number({ error: "CUSTODY_WORKER_CONCURRENCY must be a number" }).int().min(1).max(64).default(4),
  CUSTODY_SYNC_GLOBAL_CONCURRENCY: z.coerce.number({ error: "CUSTODY_SYNC_GLOBAL_CONCURRENCY must be a number" }).int().min(1).max(1000).default(8),
  CUSTODY_WORKER_POLL_SECONDS: z.coerce.number().min(0.5, "CUSTODY_WORKER_POLL_SECONDS must be at least 0.5").max(60).default(2),
  CUSTODY_SYNC_JOB_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(120),
});

export function workerSettingsFrom(source: NodeJS.ProcessEnv = process.env) {
  const parsed = WorkerEnv.safeParse(Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith("CUSTODY_") && v !== "")));
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  const e = parsed.data;
  return {
    concurrency: e.CUSTODY_WORKER_CONCURRENCY,
    globalConcurrency: e.CUSTODY_SYNC_GLOBAL_CONCURRENCY,
    pollingIntervalSeconds: e.CUSTODY_WORKER_POLL_SECONDS,
    jobTimeoutSeconds: e.CUSTODY_SYNC_JOB_TIMEOUT_MINUTES * 60,
  };
}
