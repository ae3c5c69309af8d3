/**
 * Input that fails its zod schema becomes one AppError("invalid_input") — a 400 from a route, a form error from a
 * server action — whose message carries every issue's own message (never zod's internals or a stack).
 */
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** The issues' messages as one text: sentences ("Enter the role ARN.") joined by a space, phrases by "; ". */
export function issueText(issues: readonly { message: string }[]): string {
  const messages = issues.map((i) => i.message);
  return messages.join(messages.every((m) => /[.!?]$/.test(m)) ? " " : "; ");
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("invalid_input", issueText(result.error.issues));
  return result.data;
}
