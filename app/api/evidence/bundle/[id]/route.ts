import { EvidenceBundleParamsSchema } from "@/lib/schemas/evidence";
import { rebuildEvidenceBundle } from "@/lib/server/dal/evidence";
import { download, route } from "@/lib/server/http/route";

/**
 * GET /api/evidence/bundle/[id] → an issued bundle again, rebuilt from its record; served only when its manifest.json
 * hashes to the recorded SHA-256 (else 409 with the reason, nothing served). The rebuild audits itself.
 */
export const GET = route({
  permission: "evidence:read",
  params: EvidenceBundleParamsSchema,
  handle: ({ actor, params }) => rebuildEvidenceBundle(actor, params.id),
  respond: (bundle) =>
    download(new Uint8Array(bundle.bytes), bundle.fileName, "application/zip", {
      "cache-control": "no-store",
      "x-manifest-sha256": bundle.sha256,
    }),
});
