import { describe, expect, it } from "vitest";
import { settleIn } from "./aws-call-result";

const rejected = (name: string, message: string) => Promise.reject(Object.assign(new Error(message), { name }));

describe("settleIn", () => {
  it("turns an opt-in region's refusal of the caller's credentials into RegionNotEnabled, AWS's words kept", async () => {
    const r = await settleIn(
      "me-central-1",
      rejected("UnrecognizedClientException", "The security token included in the request is invalid."),
    );
    expect(r).toEqual({
      ok: false,
      error: {
        name: "RegionNotEnabled",
        message:
          "region me-central-1 is not enabled in this account (AWS answered UnrecognizedClientException: The security token included in the request is invalid.)",
      },
    });
  });

  it("leaves other answers alone: the same refusal in a default region, AccessDenied, and success", async () => {
    const bad = await settleIn("us-east-1", rejected("InvalidClientTokenId", "The security token is invalid."));
    expect(bad).toMatchObject({ ok: false, error: { name: "InvalidClientTokenId" } });
    const denied = await settleIn("ap-east-1", rejected("AccessDeniedException", "no"));
    expect(denied).toMatchObject({ ok: false, error: { name: "AccessDeniedException" } });
    expect(await settleIn("ap-east-1", Promise.resolve(1))).toEqual({ ok: true, output: 1 });
  });
});
