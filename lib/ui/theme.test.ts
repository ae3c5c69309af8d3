import { describe, expect, it } from "vitest";
import { themeFromCookie } from "./theme";

describe("themeFromCookie", () => {
  it("keeps a pinned light or dark theme", () => {
    expect(themeFromCookie("light")).toBe("light");
    expect(themeFromCookie("dark")).toBe("dark");
  });

  it("follows the system for no cookie or an unknown value", () => {
    expect(themeFromCookie(undefined)).toBe("system");
    expect(themeFromCookie("")).toBe("system");
    expect(themeFromCookie("DARK")).toBe("system");
    expect(themeFromCookie('"><script>')).toBe("system");
  });
});
