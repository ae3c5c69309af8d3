import { Readable } from "node:stream";
import { currentActor } from "@/lib/server/auth/current-actor";
import { startEvidenceBundle } from "@/lib/server/dal/evidence";
import { attachment, withErrors } from "@/lib/server/route-errors";

/** POST /api/evidence/bundle (form: syncRunId, accounts[], ous[], levels[], controls[]) → the evidence ZIP, streamed. */
export const POST = withErrors(async (request: Request) => {
  const actor = await currentActor();
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    form = new FormData();
  }
  const bundle = await startEvidenceBundle(actor, {
    syncRunId: form.get("syncRunId") ?? undefined,
    accounts: form.getAll("accounts"),
    ous: form.getAll("ous"),
    levels: form.getAll("levels"),
    controls: form.getAll("controls"),
  });
  return new Response(Readable.toWeb(bundle.stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": attachment(bundle.fileName),
      "cache-control": "no-store",
    },
  });
});
