import { describe, expect, it } from "vitest";
import { input, trail } from "./account-control-fixture";
import { logFileValidation } from "./log-file-validation";

describe("log-file-validation (CloudTrail.4)", () => {
  it("passes when every logging trail validates", () => {
    expect(logFileValidation.evaluate(input()).status).toBe("pass");
  });

  it("fails when one logging trail does not, naming it; a stopped trail is not judged", () => {
    const own = trail({
      name: "local",
      arn: "arn:aws:cloudtrail:eu-west-1:222222222222:trail/local",
      isOrganizationTrail: false,
      logFileValidation: false,
    });
    const v = logFileValidation.evaluate(input({ trails: { ok: true, value: [trail(), own] } }));
    expect(v).toMatchObject({ status: "fail", reason: "trail local: log file validation is off" });
    const stopped = { ...own, status: { ok: true as const, value: { isLogging: false } } };
    expect(logFileValidation.evaluate(input({ trails: { ok: true, value: [trail(), stopped] } })).status).toBe("pass");
  });

  it("fails without a trail; unknown when the trails could not be read", () => {
    expect(logFileValidation.evaluate(input({ trails: { ok: true, value: [] } })).status).toBe("fail");
    expect(logFileValidation.evaluate(input({ trails: { ok: false, reason: "throttled" } })).status).toBe("unknown");
  });
});
