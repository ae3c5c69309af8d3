import { describe, expect, it } from "vitest";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { parseCsv } from "@/tests/support/parse-csv";
import {
  EXPORT_COLUMNS,
  accountBpaSummary,
  bucketExportCsv,
  bucketExportJson,
  type BucketExportRow,
} from "./bucket-export";

function row(id: number, extra: Partial<BucketExportRow> = {}): BucketExportRow {
  const base = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, null])) as unknown as BucketExportRow;
  return { ...base, id, name: `bucket-${id}`, classified: true, tags: { team: "data" }, ...extra };
}

async function* rowsOf(rows: BucketExportRow[]) {
  yield* rows;
}

async function text(chunks: AsyncGenerator<string>) {
  const parts: string[] = [];
  for await (const c of chunks) parts.push(c);
  return { text: parts.join(""), chunks: parts.length };
}

describe("account-level Block Public Access in one cell", () => {
  it.each([
    {
      setting: {
        status: "present",
        value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      },
      want: "all-on",
    },
    {
      setting: {
        status: "present",
        value: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        },
      },
      want: "partial: BlockPublicAcls,IgnorePublicAcls",
    },
    { setting: { status: "absent", errorCode: "NoSuchPublicAccessBlockConfiguration" }, want: "none" },
    {
      setting: { status: "unknown", reason: "access denied", errorCode: "AccessDenied" },
      want: "unknown: access denied (AccessDenied)",
    },
    { setting: null, want: "unknown: account settings have not been read yet" },
  ])("$want", ({ setting, want }) => {
    expect(accountBpaSummary(setting)).toBe(want);
  });
});

describe("bucket export encodings", () => {
  it("CSV: a header line, one line per row in order, formulas defused, tags as JSON, chunks of 100 rows", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i + 1));
    rows[1] = row(2, { owner: '=HYPERLINK("http://x")' });
    const { text: csv, chunks } = await text(bucketExportCsv(rowsOf(rows)));
    const records = parseCsv(csv);
    expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(records.map((r) => Number(r.id))).toEqual(rows.map((r) => r.id));
    expect(records[1]!.owner).toBe('\'=HYPERLINK("http://x")');
    expect(records[0]!.tags).toBe('{"team":"data"}');
    expect(records[0]!.classified).toBe("true");
    expect(chunks).toBe(1 + 3); // header, then 100 + 100 + 50 rows
  });

  it("CSV with per-control columns: one status and one Config column per control, empty when there is none", async () => {
    const ids = CONTROL_CATALOG.map((c) => c.id);
    const r = row(1, {
      controls: { [ids[0]!]: "fail", [ids[2]!]: "not-required" },
      configVerdicts: { [ids[0]!]: "disagree" },
      controlResults: {
        [ids[0]!]: {
          required: true,
          status: "fail",
          observed: "fail",
          configVerdict: "disagree",
          configCompliance: "COMPLIANT",
        },
        [ids[2]!]: {
          required: false,
          status: "not-required",
          observed: "fail",
          configVerdict: null,
          configCompliance: null,
        },
      },
    });
    const { text: csv } = await text(bucketExportCsv(rowsOf([r]), { perControl: true }));
    const [record] = parseCsv(csv);
    expect(Object.keys(record!)).toEqual([
      ...EXPORT_COLUMNS,
      ...ids.map((id) => `control:${id}`),
      ...ids.map((id) => `config:${id}`),
      ...ids.map((id) => `required:${id}`),
      ...ids.map((id) => `observed:${id}`),
      ...ids.map((id) => `configCompliance:${id}`),
    ]);
    expect(record![`control:${ids[0]}`]).toBe("fail");
    expect(record![`config:${ids[0]}`]).toBe("disagree");
    expect(record![`configCompliance:${ids[0]}`]).toBe("COMPLIANT");
    expect(record![`control:${ids[1]}`]).toBe("");
    // A control the level does not require still shows Custody's own verdict.
    expect([record![`control:${ids[2]}`], record![`required:${ids[2]}`], record![`observed:${ids[2]}`]]).toEqual([
      "not-required",
      "false",
      "fail",
    ]);
  });

  it("CSV of no rows is the header alone; JSON of no rows is an empty array", async () => {
    expect((await text(bucketExportCsv(rowsOf([])))).text).toBe(`${EXPORT_COLUMNS.join(",")}\n`);
    expect(JSON.parse((await text(bucketExportJson(rowsOf([])))).text)).toEqual([]);
  });

  it("JSON: an array of the rows in order, one row per line", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => row(i + 1, { settings: { versioning: { state: "present" } } }));
    const { text: json } = await text(bucketExportJson(rowsOf(rows)));
    expect(JSON.parse(json)).toEqual(rows);
    expect(json.split("\n")).toHaveLength(1 + 150 + 2); // "[", the rows, "]", and the final newline
  });
});
