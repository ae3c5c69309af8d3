/** One structured logger (pino). Secrets never reach it: callers log ids and error names, not credentials. */
import pino from "pino";
import { logLevelFrom } from "@/lib/env";

export const logger = pino({
  level: logLevelFrom(),
  redact: { paths: ["password", "*.password", "token", "*.token", "externalId", "*.externalId"], remove: true },
  base: { app: "custody" },
});
