/**
 * GET /api/buckets/export?format=csv|json&<the bucket list's filters and sort>
 * Exactly the filtered view of /buckets, streamed (keyset pages from Postgres → CSV through lib/export/csv.ts, or a
 * JSON array, one row per line; lib/export/bucket-export.ts), authorized with buckets:export and audited as
 * export.buckets by `startBucketExportDownload`, then encoded in a worker thread with a capped heap
 * (lib/export/bucket-export-in-worker.ts). Pulled chunk by chunk as the client reads, so a slow download pauses the
 * worker; the first page is read before the response starts (a failing query is a JSON error); a client that goes
 * away stops the worker.
 */
import { z } from "zod";
import { BucketQuerySchema, ExportFormatSchema } from "@/lib/schemas/bucket-query";
import { startBucketExportDownload } from "@/lib/server/dal/buckets";
import { download, route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

const BucketExportQuerySchema = z.object({ format: ExportFormatSchema }).and(BucketQuerySchema);

export const GET = route({
  permission: "buckets:export",
  query: BucketExportQuerySchema,
  handle: async ({ actor, query: { format, ...view }, ip }) => {
    const { total, body } = await startBucketExportDownload(actor, view, format, { ip });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return download(
      body,
      `custody-buckets-${stamp}.${format}`,
      format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      { "cache-control": "no-store", "x-custody-rows": String(total) },
    );
  },
});
