import { AppError } from "@/lib/errors";
import { EVIDENCE_UPLOAD_MAX_BYTES, FORM_BODY_ROUTES, guardedRoute } from "@/lib/http/request-guard";
import { verifyEvidence } from "@/lib/server/dal/evidence";
import { route } from "@/lib/server/http/route";

const tooLarge = () =>
  Response.json(
    { error: "payload_too_large", message: FORM_BODY_ROUTES["/api/evidence/verify"]!.tooLarge },
    { status: 413 },
  );

/**
 * POST /api/evidence/verify (multipart: file = the ZIP, or hash = SHA-256 of its manifest.json) → match / no match.
 * The proxy does not run for this route (it would buffer and cut off the upload); `guardedRoute` applies the same
 * cross-site, content-type and announced-size checks here, before anything is read. Unauthenticated or forbidden
 * callers are refused by `route` before their upload is read. EVIDENCE_UPLOAD_MAX_BYTES is the one limit: the
 * announced length (guard) and the file itself (below).
 */
export const POST = guardedRoute(
  route({
    permission: "evidence:read",
    handle: async ({ actor, request }) => {
      if (Number(request.headers.get("content-length") ?? 0) > FORM_BODY_ROUTES["/api/evidence/verify"]!.maxBytes)
        return tooLarge();
      const form = await request.formData().catch(() => {
        throw new AppError("invalid_input", "send a form with a file (the bundle ZIP) or a hash");
      });
      const file = form.get("file");
      const hash = form.get("hash");
      if (file instanceof File && file.size > EVIDENCE_UPLOAD_MAX_BYTES) return tooLarge();
      if (file instanceof File && file.size > 0)
        return verifyEvidence(actor, { zip: Buffer.from(await file.arrayBuffer()) });
      return verifyEvidence(actor, { hash: typeof hash === "string" ? hash : undefined });
    },
  }),
);
