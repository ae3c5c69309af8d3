import { Readable } from "node:stream";
import { startEvidenceBundle } from "@/lib/server/dal/evidence";
import { download, route } from "@/lib/server/http/route";

/**
 * POST /api/evidence/bundle (form: syncRunId, accounts[], ous[], levels[], controls[]) → the evidence ZIP, streamed.
 * The form is posted natively by the evidence page; startEvidenceBundle validates it (an unreadable form reads as
 * empty: "choose a completed sync run").
 */
export const POST = route({
  permission: "evidence:create",
  handle: async ({ actor, request }) => {
    const form = await request.formData().catch(() => new FormData());
    const bundle = await startEvidenceBundle(actor, {
      syncRunId: form.get("syncRunId") ?? undefined,
      accounts: form.getAll("accounts"),
      ous: form.getAll("ous"),
      levels: form.getAll("levels"),
      controls: form.getAll("controls"),
    });
    return download(Readable.toWeb(bundle.stream) as ReadableStream<Uint8Array>, bundle.fileName, "application/zip", {
      "cache-control": "no-store",
    });
  },
});
