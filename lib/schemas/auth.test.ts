import { describe, expect, it } from "vitest";
import { safeNextPath } from "./auth";

describe("safeNextPath", () => {
  it.each([
    ["/buckets?region=eu-west-1", "/buckets?region=eu-west-1"],
    ["/buckets/12#controls", "/buckets/12#controls"],
    ["/findings?q=a%2Fb", "/findings?q=a%2Fb"],
    ["/a/../overview", "/overview"],
    ["/%5C%5Cevil.example", "/%5C%5Cevil.example"],
  ])("keeps the same-origin path %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    undefined,
    null,
    "",
    "buckets",
    "//evil.example/phish",
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "\\\\evil.example",
    "/\t\\evil.example",
    "/.//evil.example/x",
    "/./\\evil.example",
    " //evil.example",
    "\t//evil.example",
    "https://evil.example/",
    "https:evil.example",
    "//evil.example@custody.invalid",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/login",
    "/login?next=/buckets",
    "/%2e%2e//evil.example",
  ])("sends %j home", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});
