import { describe, expect, it } from "vitest";
import { listPaging, pageSpan } from "./pagination";

describe("pageSpan", () => {
  it("describes a page inside the list", () => {
    expect(pageSpan({ total: 1234, page: 2, pageSize: 50, noun: "buckets" })).toEqual({
      first: 51,
      last: 100,
      pages: 25,
      pastEnd: false,
      pagesKnown: true,
      summary: "51–100 of 1,234 buckets",
    });
  });

  it("ends the last page at the total", () => {
    expect(pageSpan({ total: 29, page: 1, pageSize: 50, noun: "buckets" }).summary).toBe("1–29 of 29 buckets");
    expect(pageSpan({ total: 1234, page: 25, pageSize: 50, noun: "findings" }).summary).toBe(
      "1,201–1,234 of 1,234 findings",
    );
  });

  it("says so when a page lies past the end, and names the last page", () => {
    const span = pageSpan({ total: 29, page: 2, pageSize: 50, noun: "buckets" });
    expect(span).toMatchObject({ pastEnd: true, pages: 1, first: 0, last: 0 });
    expect(span.summary).toBe("Page 2 is past the end: 29 buckets fill 1 page");
    expect(pageSpan({ total: 120, page: 9, pageSize: 50, noun: "findings" }).summary).toBe(
      "Page 9 is past the end: 120 findings fill 3 pages",
    );
  });

  it("says an empty list matches nothing, and that any page but the first is past its end", () => {
    expect(pageSpan({ total: 0, page: 1, pageSize: 50, noun: "buckets" })).toEqual({
      first: 0,
      last: 0,
      pages: 1,
      pastEnd: false,
      pagesKnown: true,
      summary: "No buckets match",
    });
    expect(pageSpan({ total: 0, page: 3, pageSize: 50, noun: "buckets" })).toEqual({
      first: 0,
      last: 0,
      pages: 1,
      pastEnd: true,
      pagesKnown: true,
      summary: "No buckets match",
    });
  });
});

describe("pageSpan of a list counted only so far", () => {
  it("says the list holds more than was counted, and does not claim a number of pages", () => {
    expect(pageSpan({ total: 10_000, page: 1, pageSize: 50, noun: "buckets", more: { shown: 50 } })).toEqual({
      first: 1,
      last: 50,
      pages: 200,
      pastEnd: false,
      pagesKnown: false,
      summary: "1–50 of more than 10,000 buckets",
    });
  });

  it("deep past the counted rows (reached by Next), still tells the rows shown and never a smaller total", () => {
    const span = pageSpan({ total: 10_000, page: 10_000, pageSize: 50, noun: "buckets", more: { shown: 20 } });
    expect(span).toMatchObject({ first: 499_951, last: 499_970, pastEnd: false, pagesKnown: false });
    expect(span.pages).toBeGreaterThanOrEqual(10_000);
    expect(span.summary).toBe("499,951–499,970 of more than 499,970 buckets");
  });
});

describe("listPaging", () => {
  const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => i);
  const base = { path: "/findings", state: { severity: "High" }, pageSize: 50, noun: "findings" };

  it("has no Previous on page 1 and a Next while pages remain", () => {
    const paging = listPaging({ ...base, page: 1, total: 120, rows: rowsOf(50) });
    expect(paging).toMatchObject({ page: 1, total: 120, pages: 3, pastEnd: false, summary: "1–50 of 120 findings" });
    expect(paging.previousHref).toBeNull();
    expect(paging.nextHref).toBe("/findings?severity=High&page=2");
    expect(paging.lastHref).toBe("/findings?severity=High&page=3");
  });

  it("leads back to the bare view for page 1, and has no Next on the last page", () => {
    const second = listPaging({ ...base, page: 2, total: 120, rows: rowsOf(50) });
    expect(second.previousHref).toBe("/findings?severity=High");
    const last = listPaging({ ...base, page: 3, total: 120, rows: rowsOf(20) });
    expect(last.previousHref).toBe("/findings?severity=High&page=2");
    expect(last.nextHref).toBeNull();
  });

  it("has no Next after a short page, whatever the count said", () => {
    expect(listPaging({ ...base, page: 1, total: 120, rows: rowsOf(49) }).nextHref).toBeNull();
  });

  it("of a list counted only so far, has a Next after every full page, however deep", () => {
    const deep = { ...base, path: "/buckets", state: {}, total: 10_000, totalIsLowerBound: true };
    expect(listPaging({ ...deep, page: 200, rows: rowsOf(50) }).nextHref).toBe("/buckets?page=201");
    expect(listPaging({ ...deep, page: 900, rows: rowsOf(50) }).nextHref).toBe("/buckets?page=901");
    expect(listPaging({ ...deep, page: 900, rows: rowsOf(10) }).nextHref).toBeNull();
  });

  it("carries the keyset cursors of a list read by keyset", () => {
    const cursors = { previous: "first-row", next: "last-row" };
    const paging = listPaging({ ...base, path: "/buckets", state: {}, page: 3, total: 500, rows: rowsOf(50), cursors });
    expect(paging.nextHref).toBe("/buckets?page=4&after=last-row");
    expect(paging.previousHref).toBe("/buckets?page=2&before=first-row");
    // Page 1 is the bare view: it starts at the first row without a cursor.
    expect(
      listPaging({ ...base, path: "/buckets", state: {}, page: 2, total: 500, rows: rowsOf(50), cursors }).previousHref,
    ).toBe("/buckets");
  });

  it("from a page past the end, leads Previous to the last page", () => {
    const paging = listPaging({ ...base, page: 9, total: 120, rows: rowsOf(0) });
    expect(paging).toMatchObject({ pastEnd: true, pages: 3 });
    expect(paging.previousHref).toBe("/findings?severity=High&page=3");
    expect(paging.nextHref).toBeNull();
    expect(listPaging({ ...base, page: 4, total: 20, rows: rowsOf(0) }).lastHref).toBe("/findings?severity=High");
  });
});
