import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { csvRecord } from "./csv-record";

describe("csvRecord", () => {
  it("writes the bytes csv-stringify writes, for plain, empty, quoted, multi-line and non-ASCII fields", () => {
    const records = [
      ["123456789012", "bucket-a", "eu-west-1", "high", "tag", "encryption-at-rest", "true", "fail", "fail", "disagree", "COMPLIANT", "", "Default encryption is off"],
      ["", "", ""],
      ['say "no"', "a,b", "line\nbreak", "cr\rhere", "crlf\r\n", '"', ",", "  spaced  ", "=formula", "ünïcödé ✓", "tab\there"],
      ["single"],
    ];
    for (const r of records) expect(csvRecord(r)).toBe(stringify([r]));
    expect(records.map(csvRecord).join("")).toBe(stringify(records));
  });
});
