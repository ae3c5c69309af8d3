import { describe, expect, it } from "vitest";
import { absent, present, unknown } from "../bucket-settings";
import { bucketKmsKey } from "../kms/bucket-key";
import { CONTROL_CATALOG } from "./catalog";
import { GOOD_KEY_ARN, OWNER, goodInput, goodKey, goodKeyRead } from "./control-input-fixture";
import { kmsKeyInOrganization } from "./kms-key-in-organization";
import { kmsKeyRotation } from "./kms-key-rotation";

const VENDOR = "999988887777";
const VENDOR_KEY = `arn:aws:kms:eu-west-1:${VENDOR}:key/vendor`;
const org = { accountIds: [OWNER], organizationId: null };
const kms = (kmsKeyId: string | null) =>
  present({ rules: [{ algorithm: "aws:kms", kmsKeyId, bucketKeyEnabled: true }] });

describe("kms-key-in-organization", () => {
  it("passes a key owned by an account of the organisation", () => {
    const v = kmsKeyInOrganization.evaluate(goodInput());
    expect(v.status).toBe("pass");
    expect(v.reason).toContain(`owned by account ${OWNER} of the organisation`);
    expect(v.evidence.key).toMatchObject({ ownerAccountId: OWNER, ownerInOrganization: true });
  });

  it("fails a third party's key, even when its read was denied (the owner is in the ARN)", () => {
    const denied = { ok: false as const, reason: "AccessDeniedException: not authorized" };
    const key = bucketKmsKey(
      VENDOR_KEY,
      OWNER,
      goodKeyRead({
        keyRef: VENDOR_KEY,
        arn: VENDOR_KEY,
        ownerAccountId: VENDOR,
        metadata: denied,
        policy: denied,
        rotation: denied,
      }),
      org,
    );
    const v = kmsKeyInOrganization.evaluate(goodInput({ settings: { encryption: kms(VENDOR_KEY) }, kmsKey: key }));
    expect(v.status).toBe("fail");
    expect(v.reason).toContain(`owned by account ${VENDOR}, outside the organisation`);
  });

  it("places a bare alias in the bucket's own account, as S3 resolves it", () => {
    const key = bucketKmsKey("alias/data", OWNER, null, org);
    const v = kmsKeyInOrganization.evaluate(goodInput({ settings: { encryption: kms("alias/data") }, kmsKey: key }));
    expect(v.status).toBe("pass");
  });

  it("is unknown when the encryption setting could not be read, or the key was not loaded", () => {
    expect(
      kmsKeyInOrganization.evaluate(goodInput({ settings: { encryption: unknown("AccessDenied", "AccessDenied") } }))
        .status,
    ).toBe("unknown");
    const v = kmsKeyInOrganization.evaluate(goodInput({ kmsKey: null }));
    expect(v).toMatchObject({ status: "unknown", reason: `key ${GOOD_KEY_ARN} was not loaded for evaluation` });
  });

  it("passes SSE-S3 and the AWS managed key: they belong to the bucket's account", () => {
    const sseS3 = present({ rules: [{ algorithm: "AES256", kmsKeyId: null, bucketKeyEnabled: false }] });
    expect(kmsKeyInOrganization.evaluate(goodInput({ settings: { encryption: sseS3 }, kmsKey: null })).status).toBe(
      "pass",
    );
    expect(kmsKeyInOrganization.evaluate(goodInput({ settings: { encryption: kms(null) }, kmsKey: null })).status).toBe(
      "pass",
    );
    expect(kmsKeyInOrganization.evaluate(goodInput({ settings: { encryption: absent() }, kmsKey: null })).status).toBe(
      "pass",
    );
  });
});

describe("kms-key-rotation", () => {
  it("passes a customer managed key with rotation on, naming its period", () => {
    const v = kmsKeyRotation.evaluate(goodInput());
    expect(v).toMatchObject({
      status: "pass",
      reason: `automatic rotation is on for ${GOOD_KEY_ARN} (every 365 days)`,
    });
  });

  it("fails a customer managed key that does not rotate", () => {
    const key = goodKey({ rotation: { ok: true, value: { enabled: false, periodDays: null } } });
    expect(kmsKeyRotation.evaluate(goodInput({ kmsKey: key }))).toMatchObject({
      status: "fail",
      reason: `automatic rotation is off for ${GOOD_KEY_ARN}`,
    });
  });

  it("is unknown with the reason when rotation could not be read, never a pass", () => {
    const key = goodKey({ rotation: { ok: false, reason: "AccessDeniedException: kms:GetKeyRotationStatus" } });
    expect(kmsKeyRotation.evaluate(goodInput({ kmsKey: key }))).toMatchObject({
      status: "unknown",
      reason: `rotation of key ${GOOD_KEY_ARN} could not be read: AccessDeniedException: kms:GetKeyRotationStatus`,
    });
    const unread = bucketKmsKey(GOOD_KEY_ARN, OWNER, null, org);
    expect(kmsKeyRotation.evaluate(goodInput({ kmsKey: unread })).status).toBe("unknown");
  });

  it("passes AWS managed keys (AWS rotates them) and SSE-S3", () => {
    const awsKey = goodKey({
      metadata: {
        ok: true,
        value: {
          keyManager: "AWS",
          keyState: "Enabled",
          origin: "AWS_KMS",
          keySpec: null,
          description: null,
          createdAt: null,
        },
      },
      rotation: { ok: false, reason: "AccessDeniedException" },
    });
    expect(kmsKeyRotation.evaluate(goodInput({ kmsKey: awsKey })).status).toBe("pass");
    expect(
      kmsKeyRotation.evaluate(goodInput({ settings: { encryption: kms("alias/aws/s3") }, kmsKey: null })).reason,
    ).toContain("AWS rotates it every year");
    const sseS3 = present({ rules: [{ algorithm: "AES256", kmsKeyId: null, bucketKeyEnabled: false }] });
    expect(kmsKeyRotation.evaluate(goodInput({ settings: { encryption: sseS3 }, kmsKey: null })).status).toBe("pass");
  });
});

describe("KMS key controls in the catalog", () => {
  it("follow DESIGN.md §5's controls, rotation mapped to Security Hub KMS.4", () => {
    expect(CONTROL_CATALOG.map((c) => [c.id, c.configRuleIdentifier, c.securityHubControlId]).slice(-2)).toEqual([
      ["kms-key-in-organization", null, null],
      ["kms-key-rotation", null, "KMS.4"],
    ]);
  });
});
