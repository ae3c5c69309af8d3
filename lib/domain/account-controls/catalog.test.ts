import { describe, expect, it } from "vitest";
import { alerting, GROUP, input, trail } from "./account-control-fixture";
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

  it("says 'region not enabled' for every control a read refused for that reason — neither failing nor passing", () => {
    const refused =
      "RegionNotEnabled: region ap-east-1 is not enabled in this account (AWS answered UnrecognizedClientException: The security token included in the request is invalid.)";
    const all = evaluateAccountControls(
      input({
        trails: { ok: false, reason: `CloudTrail could not be read: ${refused}` },
        alerting: alerting({ trails: { ok: false, reason: `CloudTrail could not be read: ${refused}` } }),
      }),
    );
    for (const r of all) {
      expect(r.status, r.controlId).toBe("region-not-enabled");
      expect(r.reason, r.controlId).toMatch(/^region ap-east-1 is not enabled in this account/);
      expect(r.evidence, r.controlId).toMatchObject({ regionNotEnabled: "ap-east-1" });
    }

    // Only the alerting chain's log group is there: that control alone says so, the others still judge.
    const one = evaluateAccountControls(
      input({ alerting: alerting({ metricFilters: { [GROUP]: { ok: false, reason: refused } } }) }),
    );
    expect(Object.fromEntries(one.map((r) => [r.controlId, r.status]))).toMatchObject({
      "bucket-change-alerting": "region-not-enabled",
      "trail-multi-region": "pass",
    });

    // Another read's AccessDenied stays unknown; a failure found elsewhere still fails.
    const denied = evaluateAccountControls(
      input({ trails: { ok: true, value: [trail({ status: { ok: false, reason: "AccessDenied: no" } })] } }),
    );
    expect(denied.find((r) => r.controlId === "log-file-validation")?.status).not.toBe("region-not-enabled");
  });
});
