import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { csvCellText, csvRecord, csvRecords, neutraliseFormula, startCsvStream } from "./csv";

describe("neutraliseFormula (OWASP CSV injection)", () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    // Text that looks like a negative number is text: prefixed like any other (a text cell cannot tell "-5" from "-5+cmd").
    ["-5", "'-5"],
  ])("prefixes %j", (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it.each(["", "plain", "a=b", "x-1", "mail@example.com", " =not-first", "'already quoted", "123", "ünïcödé"])(
    "leaves %j alone",
    (input) => {
      expect(neutraliseFormula(input)).toBe(input);
    },
  );
});

describe("csvCellText", () => {
  it("writes numbers as numbers (a number cannot carry a formula), text neutralised", () => {
    expect(csvCellText(-5)).toBe("-5");
    expect(csvCellText(12n)).toBe("12");
    expect(csvCellText("-5")).toBe("'-5");
    expect(csvCellText(true)).toBe("true");
    expect(csvCellText(null)).toBe("");
    expect(csvCellText(undefined)).toBe("");
    expect(csvCellText(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
    expect(csvCellText({ Owner: "=x" })).toBe('{"Owner":"=x"}');
    expect(csvCellText(["=x"])).toBe('["=x"]');
  });
});

describe("csvRecord", () => {
  it("writes the bytes csv-stringify writes (its default quoting) for fields that need no neutralising", () => {
    const records = [
      [
        "123456789012",
        "bucket-a",
        "eu-west-1",
        "high",
        "tag",
        "encryption-at-rest",
        "true",
        "fail",
        "fail",
        "disagree",
        "COMPLIANT",
        "",
        "Default encryption is off",
      ],
      ["", "", ""],
      ['say "no"', "a,b", "line\nbreak", "cr\rhere", "crlf\r\n", '"', ",", "  spaced  ", "ünïcödé ✓", "tab\there"],
      ["single"],
    ];
    for (const r of records) expect(csvRecord(r)).toBe(stringify([r]));
    expect(csvRecords(records)).toBe(stringify(records));
  });

  it("neutralises before quoting, so the apostrophe sits inside the quotes", () => {
    expect(csvRecord(['=HYPERLINK("http://evil.example","x")', "@team", "ok"])).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")",'@team,ok\n`,
    );
    expect(csvRecord(["\r=1", "-1"])).toBe(`"'\r=1",'-1\n`);
    expect(csvRecord([-1, 0, 3.5])).toBe("-1,0,3.5\n");
  });
});

describe("startCsvStream", () => {
  const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

  it("streams the header then each page, neutralised", async () => {
    async function* pages() {
      yield [["1", "=a"]];
      yield [];
      yield [["2", "b"]];
    }
    expect(await text(await startCsvStream(["id", "value"], pages()))).toBe("id,value\n1,'=a\n2,b\n");
  });

  it("writes the header alone when there are no rows", async () => {
    async function* pages(): AsyncGenerator<string[][]> {}
    expect(await text(await startCsvStream(["id"], pages()))).toBe("id\n");
  });

  it("fails before streaming when the first page cannot be read (the route can still answer an error)", async () => {
    async function* pages(): AsyncGenerator<string[][]> {
      await Promise.reject(new Error("invalid byte sequence"));
      yield [];
    }
    await expect(startCsvStream(["id"], pages())).rejects.toThrow("invalid byte sequence");
  });
});
