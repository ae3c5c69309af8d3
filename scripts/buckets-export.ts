/**
 * npm run --silent buckets:export -- --format json|csv [--view 'level=high&failing=1&sort=name'] > buckets.json
 * The app's bucket export (the same query and columns as the Export button of /buckets, here with each control's
 * status and Config verdict, and in JSON the settings document), streamed page by page: constant memory however
 * many buckets there are. `--view` takes the bucket list's query string (filters and sort); default: every bucket.
 */
import { once } from "node:events";
import { parseArgs } from "node:util";
import { z } from "zod";
import { bucketExportCsv, bucketExportJson, bucketExportRows } from "@/lib/export/bucket-export";
import { searchParamsRecord } from "@/lib/list-query";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { bucketExportView } from "@/lib/server/dal/buckets";
import { describeCliError, openDatabase } from "./cli-database";

const { values } = parseArgs({
  options: { format: { type: "string", default: "json" }, view: { type: "string", default: "" } },
});
const format = z.enum(["json", "csv"], { error: "--format must be json or csv" }).safeParse(values.format);
const view = BucketQuerySchema.safeParse(searchParamsRecord(new URLSearchParams(values.view)));
if (!format.success || !view.success) {
  console.error((format.error ?? view.error)!.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}

// `… | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));

const db = await openDatabase();
let code = 0;
try {
  const { sort, dir, page: _page, pageSize: _pageSize, after: _after, before: _before, ...filters } = view.data;
  const rows = bucketExportRows(db.prisma, bucketExportView(filters, { sort, dir }), {
    perControl: true,
    settings: format.data === "json",
  });
  const chunks = format.data === "csv" ? bucketExportCsv(rows, { perControl: true }) : bucketExportJson(rows);
  for await (const chunk of chunks) {
    if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
  }
} catch (error) {
  console.error(describeCliError(error));
  code = 1;
} finally {
  await db.close();
}
process.exit(code);
