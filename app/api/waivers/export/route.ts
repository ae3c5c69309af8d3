import { AppError } from "@/lib/errors";
import { WaiverQuerySchema } from "@/lib/schemas/waiver";
import { currentActor } from "@/lib/server/auth/current-actor";
import { streamWaiversCsv } from "@/lib/server/dal/waivers";
import { attachment, withErrors } from "@/lib/server/route-errors";

/** GET /api/waivers/export[?status=&bucket=&control=] → every matching waiver as CSV, streamed. */
export const GET = withErrors(async (request: Request) => {
  const actor = await currentActor();
  const parsed = WaiverQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues.map((i) => i.message).join("; "));
  const body = await streamWaiversCsv(actor, parsed.data);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachment(`waivers-${new Date().toISOString().slice(0, 10)}.csv`),
    },
  });
});
