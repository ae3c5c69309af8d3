/**
 * GET /api/buckets/export?format=csv|json&<the bucket list's filters and sort>
 * Exactly the filtered view of /buckets, streamed (keyset pages from Postgres → CSV via csv-stringify, or a JSON
 * array, one row per line; lib/export/bucket-export.ts), authorized with buckets:export and audited as export.buckets.
 */
import type { NextRequest } from "next/server";
import { bucketExportCsv, bucketExportJson } from "@/lib/export/bucket-export";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { BucketQuerySchema, ExportFormatSchema, searchParamsObject } from "@/lib/schemas/bucket-query";
import { recordRefusal } from "@/lib/server/access-denied";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { startBucketExport } from "@/lib/server/dal/buckets";

export const dynamic = "force-dynamic";

/**
 * Pull-based: the next chunk is encoded (and the next keyset page read from Postgres) only when the client has
 * taken the previous one, so a slow download holds one page in memory, never the whole view.
 */
function pullStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export async function GET(request: NextRequest) {
  const params = searchParamsObject(request.nextUrl.searchParams);
  const { format: rawFormat, ...rest } = params;
  const format = ExportFormatSchema.safeParse(rawFormat);
  const query = BucketQuerySchema.safeParse(rest);
  if (!format.success || !query.success) {
    const issues = [...(format.error?.issues ?? []), ...(query.error?.issues ?? [])].map((i) => i.message);
    return Response.json({ error: "invalid_input", message: `This export's address has a filter Custody cannot read: ${issues.join("; ")}` }, { status: 400 });
  }
  try {
    const actor = await currentActor();
    const { total, rows } = await startBucketExport(actor, query.data, format.data, { ip: await clientIp() });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const body = pullStream(format.data === "csv" ? bucketExportCsv(rows) : bucketExportJson(rows));
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
    if (isAppError(error)) return Response.json({ error: error.code, message: error.message }, { status: error.status });
    logger.error({ err: error }, "bucket export failed");
    return Response.json({ error: "internal", message: "The export failed; the error has been logged." }, { status: 500 });
  }
}
