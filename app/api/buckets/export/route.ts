/**
 * GET /api/buckets/export?format=csv|json&<the bucket list's filters and sort>
 * Exactly the filtered view of /buckets, streamed (keyset pages from Postgres → CSV through lib/export/csv.ts, or a
 * JSON array, one row per line; lib/export/bucket-export.ts), authorized with buckets:export and audited as
 * export.buckets by `startBucketExport`. Pulled chunk by chunk as the client reads (pullStream), so a slow download
 * holds one page; the CSV's first page is read before the response starts (a failing query is a JSON error).
 */
import { z } from "zod";
import { APP_EXPORT_OPTIONS, bucketExportJson, startBucketExportCsv } from "@/lib/export/bucket-export";
import { pullStream } from "@/lib/export/csv";
import { BucketQuerySchema, ExportFormatSchema } from "@/lib/schemas/bucket-query";
import { startBucketExport } from "@/lib/server/dal/buckets";
import { download, route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

const BucketExportQuerySchema = z.object({ format: ExportFormatSchema }).and(BucketQuerySchema);

export const GET = route({
  permission: "buckets:export",
  query: BucketExportQuerySchema,
  handle: async ({ actor, query: { format, ...view }, ip }) => {
    const { total, rows } = await startBucketExport(actor, view, format, { ip });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return download(
      format === "csv" ? await startBucketExportCsv(rows, APP_EXPORT_OPTIONS) : pullStream(bucketExportJson(rows)),
      `custody-buckets-${stamp}.${format}`,
      format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      { "cache-control": "no-store", "x-custody-rows": String(total) },
    );
  },
});
