/** Worker tuning, from the environment validated in lib/env.ts (npm start, npm run worker and sync --wait). */
import { sqsEventsQueue } from "@/lib/sources/events-queue/sqs-queue";
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
    // The hub's own credentials (the SDK's provider chain) read the queue; AWS_ENDPOINT_URL points it elsewhere.
    events: e.CUSTODY_EVENTS_QUEUE_URL
      ? {
          queue: sqsEventsQueue({ queueUrl: e.CUSTODY_EVENTS_QUEUE_URL, endpointUrl: e.AWS_ENDPOINT_URL }),
          windowMs: e.CUSTODY_EVENTS_WINDOW_SECONDS * 1000,
        }
      : undefined,
  };
}
