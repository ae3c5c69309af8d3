import { describe, expect, it } from "vitest";
import { stackedTableLayout } from "./table-layout";

describe("stackedTableLayout", () => {
  it("is a plain table when every column is always shown (a primary column's width does not count)", () => {
    expect(stackedTableLayout([{ primary: true }, {}, {}])).toEqual({});
    expect(stackedTableLayout([{ primary: true, showFrom: "3xl" }, {}])).toEqual({});
  });

  it("counts the columns shown at each width below the widest, from which it is a table", () => {
    // The bucket list: Risk 3xl, Bucket (key), Account 4xl, Region 5xl, Classification 2xl, Exposure 2xl,
    // Required controls, Last read 5xl.
    const layout = stackedTableLayout([
      { showFrom: "3xl" },
      { primary: true },
      { showFrom: "4xl" },
      { showFrom: "5xl" },
      { showFrom: "2xl" },
      { showFrom: "2xl" },
      {},
      { showFrom: "5xl" },
    ]);
    expect(layout.widest).toBe("5xl");
    expect(layout.style).toEqual({
      "--dt-n": 2,
      "--dt-n-xl": 2,
      "--dt-n-2xl": 4,
      "--dt-n-3xl": 5,
      "--dt-n-4xl": 6,
    });
  });

  it("stops at the widest narrow-only column", () => {
    expect(stackedTableLayout([{ primary: true }, { showFrom: "xl" }, { showFrom: "2xl" }, {}])).toEqual({
      widest: "2xl",
      style: { "--dt-n": 2, "--dt-n-xl": 3 },
    });
  });
});
