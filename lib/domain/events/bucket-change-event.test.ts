import { describe, expect, it } from "vitest";
import { parseChangeEvent, planRefreshes, type ChangeEvent } from "./bucket-change-event";

/** An EventBridge event as AWS delivers a CloudTrail-recorded PutBucketPolicy (shape of the CloudTrail and EventBridge docs). */
function putBucketPolicy(
  over: { id?: string; eventID?: string; time?: string; detail?: Record<string, unknown> } = {},
) {
  return {
    version: "0",
    id: over.id ?? "6f1a4c3e-9b1d-4d7e-8f0a-2c1b3a4d5e6f",
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.s3",
    account: "123456789012",
    time: "2026-12-02T09:00:03Z",
    region: "eu-west-1",
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity: {
        type: "AssumedRole",
        principalId: "AROAEXAMPLEID:alice",
        arn: "arn:aws:sts::123456789012:assumed-role/Admin/alice",
        accountId: "123456789012",
        sessionContext: { attributes: { creationDate: "2026-12-02T08:55:00Z", mfaAuthenticated: "true" } },
      },
      eventTime: over.time ?? "2026-12-02T09:00:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "PutBucketPolicy",
      awsRegion: "eu-west-1",
      sourceIPAddress: "203.0.113.7",
      userAgent: "[aws-cli/2.15.0]",
      requestParameters: {
        bucketPolicy: { Version: "2012-10-17", Statement: [] },
        bucketName: "acme-reports",
        Host: "acme-reports.s3.eu-west-1.amazonaws.com",
        policy: "",
      },
      responseElements: null,
      requestID: "1B2C3D4E5F6A7B8C",
      eventID: over.eventID ?? "a1b2c3d4-0000-4000-8000-000000000001",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "123456789012",
      eventCategory: "Management",
      ...over.detail,
    },
  };
}

describe("parseChangeEvent", () => {
  it("reads who, what, when, where and which bucket from a CloudTrail event delivered by EventBridge", () => {
    const parsed = parseChangeEvent(putBucketPolicy());
    expect(parsed).toEqual({
      ok: true,
      event: {
        eventId: "a1b2c3d4-0000-4000-8000-000000000001",
        eventName: "PutBucketPolicy",
        eventTime: new Date("2026-12-02T09:00:00Z"),
        accountId: "123456789012",
        region: "eu-west-1",
        target: { kind: "bucket", bucketName: "acme-reports" },
        actor: {
          arn: "arn:aws:sts::123456789012:assumed-role/Admin/alice",
          type: "AssumedRole",
          principalId: "AROAEXAMPLEID:alice",
          invokedBy: null,
        },
        sourceIp: "203.0.113.7",
        errorCode: null,
      },
    });
  });

  it("reads the account-wide Block Public Access calls as account changes", () => {
    const parsed = parseChangeEvent(
      putBucketPolicy({
        detail: { eventName: "DeleteAccountPublicAccessBlock", requestParameters: { accountId: "x" } },
      }),
    );
    expect(parsed.ok && parsed.event.target).toEqual({ kind: "account" });
  });

  it("keeps a refused call with its error code", () => {
    const parsed = parseChangeEvent(putBucketPolicy({ detail: { errorCode: "AccessDenied" } }));
    expect(parsed.ok && parsed.event.errorCode).toBe("AccessDenied");
  });

  it.each([
    ["not an object", "hello", /not an S3 CloudTrail event/],
    ["another detail type", { ...putBucketPolicy(), "detail-type": "Object Created" }, /detail-type/],
    ["another service", { ...putBucketPolicy(), source: "aws.ec2" }, /source/],
    ["a bad account id", { ...putBucketPolicy(), account: "12345" }, /account/],
    ["no event time", putBucketPolicy({ detail: { eventTime: "yesterday" } }), /eventTime/],
    [
      "a call that changes nothing Custody judges",
      putBucketPolicy({ detail: { eventName: "GetBucketPolicy" } }),
      /is not a call/,
    ],
    ["no bucket name", putBucketPolicy({ detail: { requestParameters: null } }), /bucketName/],
    [
      "a bucket name with a slash",
      putBucketPolicy({ detail: { requestParameters: { bucketName: "a/../b" } } }),
      /bucketName/,
    ],
  ])("refuses %s with a reason", (_what, body, reason) => {
    const parsed = parseChangeEvent(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});

describe("planRefreshes", () => {
  const event = (n: number, bucket: string | null, over: Partial<ChangeEvent> = {}): ChangeEvent => {
    const parsed = parseChangeEvent(
      putBucketPolicy({
        eventID: `e-${n}`,
        time: new Date(Date.UTC(2026, 11, 2, 9, 0, n)).toISOString(),
        detail: bucket
          ? { requestParameters: { bucketName: `bucket-${bucket}` } }
          : { eventName: "PutAccountPublicAccessBlock", requestParameters: {} },
      }),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    return { ...parsed.event, ...over };
  };

  it("plans one refresh per bucket and one per account change, events oldest first, duplicates dropped", () => {
    const { refreshes } = planRefreshes([event(3, "a"), event(1, "a"), event(2, "b"), event(1, "a"), event(4, null)]);
    expect(refreshes.map((r) => [r.target, r.events.map((e) => e.eventId)])).toEqual([
      [{ kind: "bucket", bucketName: "bucket-a" }, ["e-1", "e-3"]],
      [{ kind: "bucket", bucketName: "bucket-b" }, ["e-2"]],
      [{ kind: "account" }, ["e-4"]],
    ]);
  });

  it("keeps buckets of the same name in different accounts apart", () => {
    const { refreshes } = planRefreshes([event(1, "a"), event(2, "a", { accountId: "210987654321" })]);
    expect(refreshes).toHaveLength(2);
  });

  it("needs no re-read for refused calls alone, but keeps them with a real change of the same bucket", () => {
    const refused = event(1, "a", { errorCode: "AccessDenied" });
    expect(planRefreshes([refused])).toEqual({ refreshes: [], refusedOnly: [refused] });
    const { refreshes } = planRefreshes([refused, event(2, "a")]);
    expect(refreshes[0]!.events.map((e) => e.eventId)).toEqual(["e-1", "e-2"]);
  });
});
