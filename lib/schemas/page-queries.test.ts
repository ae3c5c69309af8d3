import { describe, expect, it } from "vitest";
import { pageQueryIsInvalid } from "@/lib/schemas/page-queries";

const q = (s: string) => new URLSearchParams(s);

describe("page query validation (proxy: HTTP 400 for a query the page cannot accept)", () => {
  it.each([
    ["/buckets", "region=nowhere&page=-3"],
    ["/buckets", "status=fail"],
    ["/findings", "severity=Critical"],
    ["/coverage", "by=planet"],
    ["/audit", "outcome=maybe"],
    ["/waivers", "status=bogus"],
  ])("%s?%s is invalid", (path, query) => {
    expect(pageQueryIsInvalid(path, q(query))).toBe(true);
  });

  it.each([
    ["/buckets", ""],
    ["/buckets", "region=eu-west-1&page=2&sort=name&dir=asc"],
    ["/findings", "severity=High"],
    ["/coverage", "by=ou"],
    ["/audit", "outcome=success&page=3"],
    ["/waivers", "status=proposed&propose=42"],
    ["/buckets", "_rsc=abc123"], // Next's cache-busting parameter on client navigations is not a filter
  ])("%s?%s is valid", (path, query) => {
    expect(pageQueryIsInvalid(path, q(query))).toBe(false);
  });

  it("leaves pages without a query schema alone, whatever their query", () => {
    expect(pageQueryIsInvalid("/overview", q("region=nowhere"))).toBe(false);
    expect(pageQueryIsInvalid("/buckets/12", q("page=-1"))).toBe(false);
  });
});
