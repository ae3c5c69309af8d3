import { describe, expect, it } from "vitest";
import { input, trail } from "./account-control-fixture";
import { trailKmsEncryption } from "./trail-kms-encryption";

describe("trail-kms-encryption (CloudTrail.2)", () => {
  it("passes with a KMS key, fails without one", () => {
    expect(trailKmsEncryption.evaluate(input()).status).toBe("pass");
    const v = trailKmsEncryption.evaluate(input({ trails: { ok: true, value: [trail({ kmsKeyId: null })] } }));
    expect(v).toMatchObject({ status: "fail", reason: expect.stringContaining("not encrypted with a KMS key") });
  });
});
