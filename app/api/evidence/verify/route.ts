import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { authorizeEvidenceRead, verifyEvidence } from "@/lib/server/dal/evidence";
import { withErrors } from "@/lib/server/route-errors";

const MAX_UPLOAD = 100 * 1024 * 1024;

/** POST /api/evidence/verify (multipart: file = the ZIP, or hash = SHA-256 of its manifest.json) → match / no match. */
export const POST = withErrors(async (request: Request) => {
  const actor = await currentActor();
  // Unauthenticated or forbidden callers are refused before their upload is read.
  authorizeEvidenceRead(actor);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD) throw new AppError("invalid_input", "file: larger than 100 MB; paste the manifest hash instead");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("invalid_input", "send a form with a file (the bundle ZIP) or a hash");
  }
  const file = form.get("file");
  const hash = form.get("hash");
  if (file instanceof File && file.size > 0) return Response.json(await verifyEvidence(actor, { zip: Buffer.from(await file.arrayBuffer()) }));
  return Response.json(await verifyEvidence(actor, { hash: typeof hash === "string" ? hash : undefined }));
});
