/** Worker tuning, from the environment validated in lib/env.ts (npm start, npm run worker and sync --wait). */
import { settingsFrom, processEnv, type EnvSource } from "@/lib/env";

export function workerSettingsFrom(source: EnvSource = processEnv()) {
  const e = settingsFrom(source);
  return {
    concurrency: e.CUSTODY_WORKER_CONCURRENCY,
    maxCallsInFlight: e.CUSTODY_WORKER_MAX_CALLS,
    globalConcurrency: e.CUSTODY_SYNC_GLOBAL_CONCURRENCY,
    pollingIntervalSeconds: e.CUSTODY_WORKER_POLL_SECONDS,
    jobTimeoutSeconds: e.CUSTODY_SYNC_JOB_TIMEOUT_MINUTES * 60,
    syncOptions: e.CUSTODY_REGIONS ? { regions: e.CUSTODY_REGIONS } : undefined,
  };
}
