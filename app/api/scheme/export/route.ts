import { AppError } from "@/lib/errors";
import { SchemeVersionParam } from "@/lib/schemas/scheme-edit";
import { currentActor } from "@/lib/server/auth/current-actor";
import { exportSchemeVersion } from "@/lib/server/dal/scheme";
import { attachment, withErrors } from "@/lib/server/route-errors";

/** GET /api/scheme/export[?version=N] → the scheme version as JSON, in the format import accepts. */
export const GET = withErrors(async (request: Request) => {
  const actor = await currentActor();
  const raw = new URL(request.url).searchParams.get("version");
  let version: number | undefined;
  if (raw !== null) {
    const parsed = SchemeVersionParam.safeParse(raw);
    if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "version is invalid");
    version = parsed.data;
  }
  const result = await exportSchemeVersion(actor, version);
  return new Response(result.json, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": attachment(`classification-scheme-v${result.version}.json`),
    },
  });
});
