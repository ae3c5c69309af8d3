import { describe, expect, it } from "vitest";
import { absent, present, unknown, type PolicySettings } from "../bucket-settings";
import { SSL_ONLY_POLICY, goodInput } from "./control-input-fixture";
import { httpsOnly } from "./https-only";

const objectsOnly = JSON.stringify({
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "arn:aws:s3:::data-bucket/*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

describe("https-only", () => {
  it.each([
    {
      name: "Deny HTTP on bucket and objects",
      policy: present<PolicySettings>({ json: SSL_ONLY_POLICY }),
      status: "pass",
      reason: "Deny when aws:SecureTransport is false in statement 0 covers the bucket and all its objects.",
    },
    {
      name: "objects only",
      policy: present<PolicySettings>({ json: objectsOnly }),
      status: "fail",
      reason:
        "The SecureTransport Deny in statement 0 leaves HTTP open for: bucket-level requests (s3:ListBucket, s3:GetBucket*, s3:PutBucket*) on the bucket ARN.",
    },
    {
      name: "no policy",
      policy: absent<PolicySettings>("NoSuchBucketPolicy"),
      status: "fail",
      reason: "no bucket policy, so nothing denies plain-HTTP requests",
    },
    {
      name: "policy unreadable",
      policy: unknown<PolicySettings>("AccessDenied"),
      status: "unknown",
      reason: "bucket policy could not be read: AccessDenied",
    },
    {
      name: "policy malformed",
      policy: present<PolicySettings>({ json: "{" }),
      status: "unknown",
      reason: expect.stringMatching(/^bucket policy could not be analysed: policy is not valid JSON/),
    },
  ])("$name", ({ policy, status, reason }) => {
    const v = httpsOnly.evaluate(goodInput({ settings: { policy } }));
    expect({ status: v.status, reason: v.reason }).toEqual({ status, reason });
    expect(v.evidence.policy).toEqual(policy.status === "present" ? policy.value : policy);
  });
});
