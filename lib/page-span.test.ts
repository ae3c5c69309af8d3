import { describe, expect, it } from "vitest";
import { pageSpan } from "./page-span";

describe("pageSpan", () => {
  it("describes a page inside the list", () => {
    expect(pageSpan({ total: 1234, page: 2, pageSize: 50, noun: "buckets" })).toEqual({
      first: 51,
      last: 100,
      pages: 25,
      pastEnd: false,
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
      summary: "No buckets match",
    });
    expect(pageSpan({ total: 0, page: 3, pageSize: 50, noun: "buckets" })).toEqual({
      first: 0,
      last: 0,
      pages: 1,
      pastEnd: true,
      summary: "No buckets match",
    });
  });
});
