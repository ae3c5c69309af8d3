/**
 * npm run --silent buckets:export -- --format json|csv > buckets.json
 * The current per-bucket view (settings, level, control statuses, Config verdicts, Macie counts, risk), streamed
 * page by page: constant memory however many buckets there are.
 */
import { once } from "node:events";
import { parseArgs } from "node:util";
import { stringify } from "csv-stringify";
import { z } from "zod";
import { csvColumns, csvRecord, iterateBucketView } from "@/lib/sync/bucket-export";
import { describeCliError, openDatabase } from "./cli-database";

const { values } = parseArgs({ options: { format: { type: "string", default: "json" } } });
const format = z.enum(["json", "csv"], { error: "--format must be json or csv" }).safeParse(values.format);
if (!format.success) {
  console.error(format.error.issues[0]?.message);
  process.exit(2);
}

// `… | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));

const write = async (chunk: string) => {
  if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
};

const db = await openDatabase();
let code = 0;
try {
  if (format.data === "json") {
    await write("[");
    let first = true;
    for await (const row of iterateBucketView(db.prisma)) {
      await write(`${first ? "\n" : ",\n"}${JSON.stringify(row)}`);
      first = false;
    }
    await write("\n]\n");
  } else {
    const csv = stringify({ header: true, columns: csvColumns(), cast: { boolean: (v) => (v ? "true" : "false") } });
    csv.on("data", (chunk: Buffer) => process.stdout.write(chunk));
    for await (const row of iterateBucketView(db.prisma)) {
      if (!csv.write(csvRecord(row))) await once(csv, "drain");
    }
    csv.end();
    await once(csv, "end");
  }
} catch (error) {
  console.error(describeCliError(error));
  code = 1;
} finally {
  await db.close();
}
process.exit(code);
