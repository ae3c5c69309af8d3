/**
 * GET /api/buckets/export?format=csv|json&<the bucket list's filters and sort>
 * Exactly the filtered view of /buckets, streamed (keyset pages from Postgres → CSV via csv-stringify, or a JSON
 * array written row by row), authorized with buckets:export and audited as export.buckets.
 */
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { NextRequest } from "next/server";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { BucketQuerySchema, ExportFormatSchema, searchParamsObject } from "@/lib/schemas/bucket-query";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { EXPORT_COLUMNS, startBucketExport, type BucketExportRow } from "@/lib/server/dal/buckets";

export const dynamic = "force-dynamic";

/** Spreadsheet apps run cells that start with = + - @ as formulas; tag values and owners come from AWS users. */
const defuseFormula = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

function csvStream(rows: AsyncGenerator<BucketExportRow>): ReadableStream<Uint8Array> {
  const stringifier = stringify({
    header: true,
    columns: [...EXPORT_COLUMNS],
    cast: {
      boolean: (v) => (v ? "true" : "false"),
      object: (v) => defuseFormula(JSON.stringify(v)),
      string: (v) => defuseFormula(v),
    },
  });
  const source = Readable.from(rows);
  source.on("error", (error) => stringifier.destroy(error));
  return Readable.toWeb(source.pipe(stringifier)) as ReadableStream<Uint8Array>;
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
