import { describe, expect, it } from "vitest";
import { AccountOptionsQuerySchema } from "./accounts";
import { AuditQuerySchema } from "./audit-query";
import { BucketQuerySchema, encodeBucketCursor } from "./bucket-query";
import { CoverageQuerySchema } from "./coverage-query";
import { FindingQuerySchema } from "./finding-query";
import { isCalendarDay } from "./query-text";

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.message);

describe("free-text filters refuse control characters (Postgres refuses NUL in text: it was a 500)", () => {
  it.each([
    [BucketQuerySchema, { q: "ab\u0000c" }, "q must not contain control characters"],
    [BucketQuerySchema, { ou: "Root/\u0000" }, "ou must not contain control characters"],
    [BucketQuerySchema, { tag: "Owner=\u0000x" }, "tag must not contain control characters"],
    [BucketQuerySchema, { owner: "x\u001b" }, "owner must not contain control characters"],
    [
      BucketQuerySchema,
      { sort: "name", after: encodeBucketCursor({ key: "a\u0000", id: 3 }) },
      "after is not a valid page cursor for this sort (open the first page again)",
    ],
    [FindingQuerySchema, { bucket: "a\u0000b" }, "bucket must not contain control characters"],
    [CoverageQuerySchema, { owner: "x\u0000" }, "owner must not contain control characters"],
    [CoverageQuerySchema, { ou: "x\u007f" }, "ou must not contain control characters"],
    [AuditQuerySchema, { actor: "a\u0000" }, "actor must not contain control characters"],
    [AccountOptionsQuerySchema, { q: "a\u0000" }, "q must not contain control characters"],
  ] as const)("%#: %j", (schema, input, message) => {
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    expect(messages(r)).toContain(message);
  });

  it("still accepts ordinary text, including non-ASCII and spaces", () => {
    expect(
      BucketQuerySchema.safeParse({
        q: "acme data",
        owner: "Zoë Müller",
        tag: "Team=Data Platform",
        ou: "Root/Production",
      }).success,
    ).toBe(true);
    expect(AuditQuerySchema.safeParse({ actor: "admin@demo.custody.local" }).success).toBe(true);
  });
});

describe("audit dates must be real calendar days (2026-13-45 was a 500, 2026-02-30 rolled over)", () => {
  it.each(["2026-13-45", "2026-02-30", "2026-00-10", "2025-02-29", "2026-04-31"])("refuses %s", (day) => {
    expect(isCalendarDay(day)).toBe(false);
    const r = AuditQuerySchema.safeParse({ from: day });
    expect(messages(r)).toContain("from must be a real date (YYYY-MM-DD); there is no such day");
  });
  it.each(["2026-01-31", "2024-02-29", "2026-12-31"])("accepts %s", (day) => {
    expect(AuditQuerySchema.safeParse({ from: day, to: day }).success).toBe(true);
  });
  it("keeps the format message for text that is not a date at all", () => {
    expect(messages(AuditQuerySchema.safeParse({ to: "yesterday" }))).toContain("to must be a date (YYYY-MM-DD)");
  });
});
