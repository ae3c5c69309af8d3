/**
 * GET /api/buckets/export?format=csv|json&<the bucket list's filters and sort>
 * Exactly the filtered view of /buckets, streamed (keyset pages from Postgres → CSV through lib/export/csv.ts, or a
 * JSON array, one row per line; lib/export/bucket-export.ts), authorized with buckets:export and audited as
 * export.buckets. Pulled chunk by chunk as the client reads (pullStream), so a slow download holds one page.
 */
import type { NextRequest } from "next/server";
import { APP_EXPORT_OPTIONS, bucketExportCsv, bucketExportJson } from "@/lib/export/bucket-export";
import { pullStream } from "@/lib/export/csv";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { BucketQuerySchema, ExportFormatSchema, searchParamsObject } from "@/lib/schemas/bucket-query";
import { recordRefusal } from "@/lib/server/access-denied";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { startBucketExport } from "@/lib/server/dal/buckets";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const params = searchParamsObject(request.nextUrl.searchParams);
  const { format: rawFormat, ...rest } = params;
  const format = ExportFormatSchema.safeParse(rawFormat);
  const query = BucketQuerySchema.safeParse(rest);
  if (!format.success || !query.success) {
    const issues = [...(format.error?.issues ?? []), ...(query.error?.issues ?? [])].map((i) => i.message);
    return Response.json(
      {
        error: "invalid_input",
        message: `This export's address has a filter Custody cannot read: ${issues.join("; ")}`,
      },
      { status: 400 },
    );
  }
  try {
    const actor = await currentActor();
    const { total, rows } = await startBucketExport(actor, query.data, format.data, { ip: await clientIp() });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const body = pullStream(format.data === "csv" ? bucketExportCsv(rows, APP_EXPORT_OPTIONS) : bucketExportJson(rows));
    return new Response(body, {
      headers: {
        "content-type": format.data === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="custody-buckets-${stamp}.${format.data}"`,
        "cache-control": "no-store",
        "x-custody-rows": String(total),
      },
    });
  } catch (error) {
    void recordRefusal(error);
    if (isAppError(error))
      return Response.json({ error: error.code, message: error.message }, { status: error.status });
    logger.error({ err: error }, "bucket export failed");
    return Response.json(
      { error: "internal", message: "The export failed; the error has been logged." },
      { status: 500 },
    );
  }
}
