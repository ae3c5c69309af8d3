import { describe, expect, it } from "vitest";
import { input, trail } from "./account-control-fixture";
import { trailMultiRegion } from "./trail-multi-region";

describe("trail-multi-region (CloudTrail.1)", () => {
  it("passes for a member covered by the organisation trail its owner read as logging", () => {
    const v = trailMultiRegion.evaluate(input());
    expect(v.status).toBe("pass");
    expect(v.reason).toContain("organisation trail org-trail");
  });

  it("fails with no trail, and with only a single-region one", () => {
    expect(trailMultiRegion.evaluate(input({ trails: { ok: true, value: [] } })).status).toBe("fail");
    const single = trailMultiRegion.evaluate(input({ trails: { ok: true, value: [trail({ isMultiRegion: false })] } }));
    expect(single).toMatchObject({ status: "fail", reason: expect.stringContaining("no multi-region trail") });
  });

  it("fails for a stopped trail and for one that skips management reads", () => {
    const stopped = trail({ status: { ok: true, value: { isLogging: false } } });
    expect(trailMultiRegion.evaluate(input({ trails: { ok: true, value: [stopped] } })).reason).toContain(
      "is not logging",
    );
    const writesOnly = trail({
      eventSelectors: { ok: true, value: { basic: [{ ReadWriteType: "WriteOnly" }], advanced: [] } },
    });
    const v = trailMultiRegion.evaluate(input({ trails: { ok: true, value: [writesOnly] } }));
    expect(v).toMatchObject({ status: "fail", reason: expect.stringContaining("management read events") });
  });

  it("is unknown, never pass, when the owner's status read is missing or the trails could not be read", () => {
    const unread = trail({ status: { ok: false, reason: "owner account 111111111111 is not linked" } });
    const v = trailMultiRegion.evaluate(input({ trails: { ok: true, value: [unread] } }));
    expect(v).toMatchObject({ status: "unknown", reason: expect.stringContaining("not linked") });
    const denied = trailMultiRegion.evaluate(input({ trails: { ok: false, reason: "AccessDeniedException: no" } }));
    expect(denied.status).toBe("unknown");
  });
});
