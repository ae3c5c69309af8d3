import { describe, expect, it } from "vitest";
import { input } from "./account-control-fixture";
import { ACCOUNT_CONTROL_CATALOG, evaluateAccountControls } from "./catalog";

describe("account control catalog", () => {
  it("has unique ids, and every control says what, why and how to fix", () => {
    const ids = ACCOUNT_CONTROL_CATALOG.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ACCOUNT_CONTROL_CATALOG) {
      expect(c.title && c.checks && c.why && c.fix).toBeTruthy();
      expect(c.cisIds.length).toBeGreaterThan(0);
    }
  });

  it("a complete account passes every control; an account with no trail fails every one, none unknown", () => {
    expect(evaluateAccountControls(input()).map((r) => r.status)).toEqual(ACCOUNT_CONTROL_CATALOG.map(() => "pass"));
    const none = evaluateAccountControls(
      input({ trails: { ok: true, value: [] }, alerting: { ...input().alerting, trails: { ok: true, value: [] } } }),
    );
    expect(none.map((r) => r.status)).toEqual(ACCOUNT_CONTROL_CATALOG.map(() => "fail"));
  });
});
