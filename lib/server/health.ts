import "server-only";
/** Is the database answering? For /api/health; the reason is short and names no host, port or user. */
import { databaseUnreachableReason } from "@/lib/db/connection-error";
import { db } from "@/lib/server/db";

export async function checkDatabase(timeoutMs = 5_000): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(Object.assign(new Error("health check timed out"), { code: "ETIMEDOUT" })),
            timeoutMs,
          )),
      ),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: databaseUnreachableReason(error) ?? "the database did not answer" };
  } finally {
    clearTimeout(timer);
  }
}
