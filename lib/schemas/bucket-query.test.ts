import { describe, expect, it } from "vitest";
import { searchParamsRecord } from "@/lib/list-query";
import { BucketQuerySchema, bucketQueryParams } from "./bucket-query";

describe("bucket query", () => {
  it("reads every filter from a query string and writes it back unchanged", () => {
    const qs =
      "ou=Root%2FProduction&control=https-only&status=fail&config=disagree&macie=high&tag=Env%3Dprod%3Dblue&owner=payments-team&failing=1&unknown=1&waived=1&compliant=no&sort=name&dir=asc";
    const parsed = BucketQuerySchema.parse(searchParamsRecord(new URLSearchParams(qs)));
    expect(parsed).toMatchObject({
      ou: "Root/Production",
      control: "https-only",
      status: "fail",
      config: "disagree",
      macie: "high",
      failing: true,
      unknown: true,
      waived: true,
      compliant: "no",
    });
    // Only the first "=" separates key from value: tag values may contain "=".
    expect(parsed.tag).toEqual({ key: "Env", value: "prod=blue" });
    const params = bucketQueryParams({ ...parsed, page: undefined, pageSize: undefined } as never);
    expect(new URLSearchParams(params as Record<string, string>).toString()).toBe(qs);
  });

  it("treats a tag without = as 'has this tag key'", () => {
    expect(BucketQuerySchema.parse({ tag: "CostCenter" }).tag).toEqual({ key: "CostCenter", value: undefined });
  });

  it("explains each unreadable filter", () => {
    const r = BucketQuerySchema.safeParse({ control: "x", failing: "yes", compliant: "maybe", tag: "=v" });
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^control must be one of encryption-at-rest/),
      "tag must be a tag key (1–128 characters), optionally followed by =value",
      "failing must be 1 (buckets failing a required control) or left out",
      "compliant must be yes or no",
    ]);
  });

  it("needs a control for status and observed, and refuses owner with unowned", () => {
    const messages = (input: Record<string, string>) =>
      BucketQuerySchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ status: "fail" })).toEqual(["status needs a control (e.g. control=https-only&status=fail)"]);
    expect(messages({ observed: "fail" })[0]).toMatch(/observed needs a control/);
    expect(messages({ owner: "a", unowned: "1" })).toEqual(["owner and unowned cannot be combined"]);
  });
});
