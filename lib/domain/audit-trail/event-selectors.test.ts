import { describe, expect, it } from "vitest";
import { trailRecording } from "./event-selectors";

const basic = (...selectors: object[]) => trailRecording({ basic: selectors as never, advanced: [] });
const advanced = (...selectors: object[]) => trailRecording({ basic: [], advanced: selectors as never });

describe("trailRecording — basic selectors", () => {
  it("records management reads and writes by default", () => {
    expect(basic({ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] })).toEqual({
      managementReads: true,
      managementWrites: true,
      s3DataReads: "none",
      s3DataWrites: "none",
    });
  });

  it("records S3 data events for all buckets with arn:aws:s3 or arn:aws:s3:::, some with a bucket prefix", () => {
    expect(
      basic({ ReadWriteType: "All", DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }] }).s3DataReads,
    ).toBe("all");
    expect(
      basic({ ReadWriteType: "WriteOnly", DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::"] }] }),
    ).toMatchObject({
      s3DataReads: "none",
      s3DataWrites: "all",
      managementReads: false,
      managementWrites: true,
    });
    expect(
      basic({ DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::payments-ledger/"] }] }).s3DataWrites,
    ).toBe("some");
    expect(basic({ DataResources: [{ Type: "AWS::Lambda::Function", Values: ["arn:aws:lambda"] }] }).s3DataWrites).toBe(
      "none",
    );
  });

  it("records no management events when IncludeManagementEvents is false", () => {
    expect(basic({ IncludeManagementEvents: false, DataResources: [] }).managementWrites).toBe(false);
  });
});

describe("trailRecording — advanced selectors", () => {
  it("reads the console's 'log all S3 data events' selector as all, both directions", () => {
    expect(
      advanced(
        { Name: "Management", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
        {
          Name: "S3",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          ],
        },
      ),
    ).toEqual({ managementReads: true, managementWrites: true, s3DataReads: "all", s3DataWrites: "all" });
  });

  it("honours readOnly", () => {
    expect(
      advanced({
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Data"] },
          { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          { Field: "readOnly", Equals: ["false"] },
        ],
      }),
    ).toMatchObject({ s3DataReads: "none", s3DataWrites: "all" });
  });

  it("counts a selector narrowed by bucket ARN or event name as some", () => {
    const narrowed = [
      { Field: "resources.ARN", StartsWith: ["arn:aws:s3:::payments-ledger/"] },
      { Field: "eventName", Equals: ["PutObject"] },
      { Field: "resources.ARN", StartsWith: ["arn:aws:s3:::"], NotStartsWith: ["arn:aws:s3:::noisy-logs/"] },
    ];
    for (const extra of narrowed) {
      expect(
        advanced({
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
            extra,
          ],
        }).s3DataWrites,
      ).toBe("some");
    }
  });

  it("keeps all when the ARN selector starts with every S3 ARN", () => {
    expect(
      advanced({
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Data"] },
          { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          { Field: "resources.ARN", StartsWith: ["arn:aws:s3:::"] },
        ],
      }).s3DataReads,
    ).toBe("all");
  });

  it("does not count management events narrowed to one source as all management writes", () => {
    expect(
      advanced({
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Management"] },
          { Field: "eventSource", NotEquals: ["s3.amazonaws.com"] },
        ],
      }).managementWrites,
    ).toBe(false);
  });
});
