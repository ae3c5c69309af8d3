import { describe, expect, it } from "vitest";
import { absent, present, unknown, type EncryptionSettings, type Setting } from "../bucket-settings";
import { goodInput } from "./control-input-fixture";
import { encryptionAtRest } from "./encryption-at-rest";

const enc = (algorithm: string, kmsKeyId: string | null = null): Setting<EncryptionSettings> =>
  present({ rules: [{ algorithm, kmsKeyId, bucketKeyEnabled: false }] });

describe("encryption-at-rest", () => {
  it.each([
    { name: "SSE-S3", s: enc("AES256"), status: "pass", reason: "default encryption AES256" },
    { name: "SSE-KMS", s: enc("aws:kms"), status: "pass", reason: "default encryption aws:kms" },
    { name: "DSSE-KMS", s: enc("aws:kms:dsse"), status: "pass", reason: "default encryption aws:kms:dsse" },
    {
      name: "not found",
      s: absent<EncryptionSettings>("ServerSideEncryptionConfigurationNotFoundError"),
      status: "fail",
      reason:
        "no default encryption configuration (ServerSideEncryptionConfigurationNotFoundError): new objects are not encrypted by default",
    },
    {
      name: "no rules",
      s: present<EncryptionSettings>({ rules: [] }),
      status: "fail",
      reason: "the encryption configuration has no rules",
    },
    {
      name: "unrecognized",
      s: enc("rot13"),
      status: "unknown",
      reason: "unrecognized encryption algorithm rot13: cannot confirm objects are encrypted",
    },
    {
      name: "access denied",
      s: unknown<EncryptionSettings>("not authorized", "AccessDenied"),
      status: "unknown",
      reason: "default encryption could not be read: not authorized (AccessDenied)",
    },
  ])("$name", ({ s, status, reason }) => {
    const v = encryptionAtRest.evaluate(goodInput({ settings: { encryption: s } }));
    expect({ status: v.status, reason: v.reason }).toEqual({ status, reason });
    expect(v.evidence).toEqual({ encryption: s.status === "present" ? s.value : s });
  });
});
