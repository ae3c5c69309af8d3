import { describe, expect, it } from "vitest";
import { input, trail } from "./account-control-fixture";
import { s3DataEventsRead } from "./s3-data-events-read";
import { s3DataEventsWrite } from "./s3-data-events-write";

const withSelectors = (basic: object[], advanced: object[] = []) =>
  input({
    trails: {
      ok: true,
      value: [trail({ eventSelectors: { ok: true, value: { basic: basic as never, advanced: advanced as never } } })],
    },
  });

describe("S3 data events (S3.22 write / S3.23 read)", () => {
  it("pass for a multi-region trail recording all buckets' object events", () => {
    expect(s3DataEventsWrite.evaluate(input()).status).toBe("pass");
    expect(s3DataEventsRead.evaluate(input()).status).toBe("pass");
  });

  it("judge each direction apart (advanced selector: writes only)", () => {
    const writes = withSelectors(
      [],
      [
        {
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
            { Field: "readOnly", Equals: ["false"] },
          ],
        },
      ],
    );
    expect(s3DataEventsWrite.evaluate(writes).status).toBe("pass");
    expect(s3DataEventsRead.evaluate(writes)).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("no bucket"),
    });
  });

  it("fail when only some buckets are recorded", () => {
    const some = withSelectors([
      { ReadWriteType: "All", DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::payroll/"] }] },
    ]);
    expect(s3DataEventsWrite.evaluate(some)).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("some buckets only"),
    });
  });

  it("are unknown when the selectors could not be read", () => {
    const unread = input({
      trails: { ok: true, value: [trail({ eventSelectors: { ok: false, reason: "AccessDenied" } })] },
    });
    expect(s3DataEventsRead.evaluate(unread).status).toBe("unknown");
  });
});
