import "server-only";
/** Route handlers answer errors as JSON with the AppError's status (401 anonymous, 403 forbidden, 400 bad input); never a stack. */
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { recordRefusal } from "@/lib/server/access-denied";

export function errorResponse(error: unknown): Response {
  void recordRefusal(error); // 401/403 leave a log line and a (rate-limited) audit row
  if (isAppError(error)) return Response.json({ error: error.code, message: error.message }, { status: error.status });
  logger.error({ err: error }, "route handler failed");
  return Response.json({ error: "internal", message: "Something went wrong on the server." }, { status: 500 });
}

export function withErrors<A extends unknown[]>(
  handler: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The file name part of Content-Disposition, ASCII only. */
export const attachment = (fileName: string) => `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`;
