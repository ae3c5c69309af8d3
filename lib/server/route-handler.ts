import "server-only";
/**
 * Route handlers answer JSON: AppErrors with their status and message (401 anonymous, 403 forbidden, 400 bad
 * input…), anything else a generic 500 without internals (logged with its stack).
 */
import { z } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { recordRefusal } from "@/lib/server/access-denied";

export function jsonError(error: unknown): Response {
  void recordRefusal(error); // issue 13 item 9: 401/403 leave a log line and a (rate-limited) audit row
  if (isAppError(error)) return Response.json({ error: error.code, message: error.message }, { status: error.status });
  if (error instanceof z.ZodError) {
    return Response.json(
      { error: "invalid_input", message: error.issues.map((i) => i.message).join(" ") },
      { status: 400 },
    );
  }
  logger.error({ err: error }, "route handler failed");
  return Response.json(
    {
      error: "internal",
      message: "Something went wrong on our side. Try again; if it persists, check the server log.",
    },
    { status: 500 },
  );
}

export async function handle(fn: () => Promise<unknown>, status = 200): Promise<Response> {
  try {
    return Response.json(await fn(), { status });
  } catch (error) {
    return jsonError(error);
  }
}

/** The request's JSON body, or a 400 when it is not JSON. */
export async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
}

/** zod parse → AppError("invalid_input") with every message. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("invalid_input", result.error.issues.map((i) => i.message).join(" "));
  return result.data;
}
