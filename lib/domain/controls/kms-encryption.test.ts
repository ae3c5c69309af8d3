import { describe, expect, it } from "vitest";
import { absent, present, unknown, type EncryptionSettings, type Setting } from "../bucket-settings";
import { goodInput } from "./control-input-fixture";
import { kmsEncryption } from "./kms-encryption";

const enc = (algorithm: string, kmsKeyId: string | null = null): Setting<EncryptionSettings> =>
  present({ rules: [{ algorithm, kmsKeyId, bucketKeyEnabled: true }] });
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd";

describe("kms-encryption", () => {
  it.each([
    { name: "customer managed key", s: enc("aws:kms", KEY), status: "pass", reason: `aws:kms with key ${KEY}` },
    {
      name: "DSSE with customer key",
      s: enc("aws:kms:dsse", KEY),
      status: "pass",
      reason: `aws:kms:dsse with key ${KEY}`,
    },
    {
      name: "customer alias",
      s: enc("aws:kms", "alias/data-key"),
      status: "pass",
      reason: "aws:kms with key alias/data-key",
    },
    {
      name: "KMS without key id = AWS managed",
      s: enc("aws:kms"),
      status: "fail",
      reason: "aws:kms without KMSMasterKeyID uses the AWS managed key alias/aws/s3, not a customer managed key",
    },
    {
      name: "alias/aws/s3",
      s: enc("aws:kms", "alias/aws/s3"),
      status: "fail",
      reason: "aws:kms uses the AWS managed key alias/aws/s3, not a customer managed key",
    },
    {
      name: "alias ARN aws/s3",
      s: enc("aws:kms", "arn:aws:kms:eu-west-1:111111111111:alias/aws/s3"),
      status: "fail",
      reason:
        "aws:kms uses the AWS managed key arn:aws:kms:eu-west-1:111111111111:alias/aws/s3, not a customer managed key",
    },
    {
      name: "SSE-S3",
      s: enc("AES256"),
      status: "fail",
      reason: "default encryption is AES256, not SSE-KMS with a customer managed key",
    },
    {
      name: "absent",
      s: absent<EncryptionSettings>("ServerSideEncryptionConfigurationNotFoundError"),
      status: "fail",
      reason: "no default encryption configuration (ServerSideEncryptionConfigurationNotFoundError)",
    },
    {
      name: "unknown",
      s: unknown<EncryptionSettings>("throttled"),
      status: "unknown",
      reason: "default encryption could not be read: throttled",
    },
  ])("$name", ({ s, status, reason }) => {
    const v = kmsEncryption.evaluate(goodInput({ settings: { encryption: s } }));
    expect({ status: v.status, reason: v.reason }).toEqual({ status, reason });
  });
});
