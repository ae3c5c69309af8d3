import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  accountParam,
  choiceParam,
  columnSort,
  flagParam,
  pageParam,
  pageSizeParam,
  queryOrDefaults,
  searchParamsRecord,
  sortParams,
  textParam,
  viewState,
  withQuery,
} from "@/lib/list-query";

const messages = (schema: z.ZodType, input: unknown) =>
  schema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

describe("query-string parameters", () => {
  it("read the first of a repeated name, and an empty or null field as absent", () => {
    const schema = z.object({ account: accountParam(), page: pageParam() });
    expect(schema.parse({ account: ["123456789012", "999999999999"], page: ["2", "3"] })).toEqual({
      account: "123456789012",
      page: 2,
    });
    expect(schema.parse({ account: "", page: "" })).toEqual({ page: 1 });
    expect(schema.parse({ account: null, page: null })).toEqual({ page: 1 });
  });

  it("say what a bad page or page size is", () => {
    const schema = z.object({ page: pageParam(), pageSize: pageSizeParam() });
    expect(schema.parse({})).toEqual({ page: 1, pageSize: 50 });
    expect(schema.parse({ page: "4", pageSize: "100" })).toEqual({ page: 4, pageSize: 100 });
    expect(messages(schema, { page: "-3" })).toEqual(["page starts at 1"]);
    expect(messages(schema, { page: "two" })).toEqual(["page must be a number"]);
    expect(messages(schema, { pageSize: "30" })).toEqual(["pageSize must be 25, 50 or 100"]);
  });

  it("limit free text, trim it and refuse control characters", () => {
    const schema = z.object({
      actor: textParam("actor", 10),
      q: textParam("q", 5, { tooLong: "search text is limited to 5 characters" }),
      ou: textParam("ou", 10, { required: true }),
    });
    expect(schema.parse({ actor: "  ann  ", q: " " })).toEqual({ actor: "ann", q: "" });
    expect(messages(schema, { actor: "a".repeat(11) })).toEqual(["actor is limited to 10 characters"]);
    expect(messages(schema, { q: "abcdef" })).toEqual(["search text is limited to 5 characters"]);
    expect(messages(schema, { actor: "a\u0000b" })).toEqual(["actor must not contain control characters"]);
    expect(messages(schema, { ou: "   " })).toHaveLength(1);
  });

  it("take a choice, a flag and a sort only from their lists", () => {
    const schema = z.object({
      outcome: choiceParam(["success", "failure"], "outcome must be success or failure"),
      failing: flagParam("failing", "buckets failing a required control"),
      ...sortParams(["risk", "name"]),
    });
    expect(schema.parse({ outcome: "success", failing: "1", sort: "name", dir: "asc" })).toEqual({
      outcome: "success",
      failing: true,
      sort: "name",
      dir: "asc",
    });
    expect(messages(schema, { outcome: "maybe", failing: "yes", sort: "size", dir: "up" })).toEqual([
      "outcome must be success or failure",
      "failing must be 1 (buckets failing a required control) or left out",
      "sort must be one of risk, name",
      "dir must be asc or desc",
    ]);
  });

  it("pass a repeated name as an array, as a page's searchParams does", () => {
    expect(searchParamsRecord(new URLSearchParams("tag=a&tag=b&region=eu-west-1"))).toEqual({
      tag: ["a", "b"],
      region: "eu-west-1",
    });
  });
});

describe("queryOrDefaults", () => {
  const schema = z.object({ outcome: choiceParam(["success"], "outcome must be success"), page: pageParam() });

  it("gives the query when it validates", () => {
    expect(queryOrDefaults(schema, { outcome: "success", page: "2" })).toEqual({
      query: { outcome: "success", page: 2 },
      issues: null,
    });
  });

  it("gives the unfiltered list and what was wrong when it does not", () => {
    const { query, issues } = queryOrDefaults(schema, { outcome: "maybe", page: "2" });
    expect(query).toEqual({ page: 1 });
    expect(issues?.map((i) => i.message)).toEqual(["outcome must be success"]);
  });
});

describe("links of a list", () => {
  it("keep every set filter and drop empty ones", () => {
    expect(withQuery("/buckets", { region: "eu-west-1", q: "", level: undefined, owner: null }, { page: 2 })).toBe(
      "/buckets?region=eu-west-1&page=2",
    );
    expect(withQuery("/buckets", { region: "eu-west-1" }, { region: undefined })).toBe("/buckets");
  });

  it("keep the view but never a page or its cursors, and the page size only when not the default", () => {
    expect(
      viewState({ region: "eu-west-1", sort: "name", page: 3, after: "abc", before: "def", pageSize: 50 }),
    ).toEqual({ region: "eu-west-1", sort: "name" });
    expect(viewState({ pageSize: "100" })).toEqual({ pageSize: "100" });
    expect(viewState({ pageSize: 25 })).toEqual({ pageSize: 25 });
  });
});

describe("columnSort", () => {
  const defaultDir = { risk: "desc", name: "asc" } as const;

  it("turns the active column the other way", () => {
    expect(columnSort("risk", { key: "risk" }, defaultDir)).toEqual({
      active: true,
      dir: "desc",
      nextDir: "asc",
      ariaSort: "descending",
    });
    expect(columnSort("name", { key: "name", dir: "desc" }, defaultDir)).toEqual({
      active: true,
      dir: "desc",
      nextDir: "asc",
      ariaSort: "descending",
    });
    expect(columnSort("name", { key: "name", dir: "asc" }, defaultDir).nextDir).toBe("desc");
  });

  it("starts another column in its own direction, whatever the current one", () => {
    expect(columnSort("risk", { key: "name", dir: "asc" }, defaultDir)).toEqual({
      active: false,
      dir: "desc",
      nextDir: "desc",
      ariaSort: undefined,
    });
  });
});
