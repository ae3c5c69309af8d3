import "server-only";
/** Server actions answer forms with a state, never a thrown error page: AppErrors become their message. */
import type { ActionState } from "@/lib/action-state";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { recordRefusal } from "@/lib/server/access-denied";

export function actionFailure(error: unknown): ActionState {
  void recordRefusal(error); // a refused action leaves a log line and a (rate-limited) audit row
  if (isAppError(error)) return { ok: false, message: null, errors: [error.message] };
  logger.error({ err: error }, "server action failed");
  return { ok: false, message: null, errors: ["Something went wrong on the server; the change was not saved."] };
}
