/** One structured logger (pino). Secrets never reach it: callers log ids and error names, not credentials. */
import pino from "pino";

export const logger = pino({
  level: process.env.CUSTODY_LOG_LEVEL ?? "info",
  redact: { paths: ["password", "*.password", "token", "*.token", "externalId", "*.externalId"], remove: true },
  base: { app: "custody" },
});
