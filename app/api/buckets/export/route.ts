/**
 * GET /api/buckets/export?format=csv|json&<the bucket list's filters and sort>
 * Exactly the filtered view of /buckets, streamed (keyset pages from Postgres → CSV via csv-stringify, or a JSON
 * array written row by row), authorized with buckets:export and audited as export.buckets.
 */
import { stringify } from "csv-stringify/sync";
import type { NextRequest } from "next/server";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { BucketQuerySchema, ExportFormatSchema, searchParamsObject } from "@/lib/schemas/bucket-query";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { EXPORT_COLUMNS, startBucketExport, type BucketExportRow } from "@/lib/server/dal/buckets";

export const dynamic = "force-dynamic";

/** Spreadsheet apps run cells that start with = + - @ as formulas; tag values and owners come from AWS users. */
const defuseFormula = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const CSV_OPTIONS = {
  columns: [...EXPORT_COLUMNS],
  cast: {
    boolean: (v: boolean) => (v ? "true" : "false"),
    object: (v: object) => defuseFormula(JSON.stringify(v)),
    string: (v: string) => defuseFormula(v),
  },
};

/**
 * Pull-based like the JSON stream: a row is read from Postgres only when the client has taken the previous chunk,
 * so a slow download holds one keyset page in memory, never the whole view (Readable.toWeb on Node 20 reads ahead).
 */
function csvStream(rows: AsyncGenerator<BucketExportRow>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let header = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const batch: BucketExportRow[] = [];
      // About 100 rows per chunk: one stringify call and one enqueue per chunk instead of per row.
      while (batch.length < 100) {
        const next = await rows.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (batch.length || header) controller.enqueue(encoder.encode(stringify(batch, { ...CSV_OPTIONS, header })));
      header = false;
      if (batch.length < 100) controller.close();
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

function jsonStream(rows: AsyncGenerator<BucketExportRow>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      if (first) controller.enqueue(encoder.encode("[\n"));
      const next = await rows.next();
      if (next.done) {
        controller.enqueue(encoder.encode(first ? "]\n" : "\n]\n"));
        done = true;
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`${first ? "" : ",\n"}${JSON.stringify(next.value)}`));
      first = false;
    },
    async cancel() {
      await rows.return(undefined);
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
    const body = format.data === "csv" ? csvStream(rows) : jsonStream(rows);
    return new Response(body, {
      headers: {
        "content-type": format.data === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="custody-buckets-${stamp}.${format.data}"`,
        "cache-control": "no-store",
        "x-custody-rows": String(total),
      },
    });
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: error.code, message: error.message }, { status: error.status });
    logger.error({ err: error }, "bucket export failed");
    return Response.json({ error: "internal", message: "The export failed; the error has been logged." }, { status: 500 });
  }
}
