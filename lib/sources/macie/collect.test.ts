import {
  DescribeBucketsCommand,
  GetFindingsCommand,
  GetMacieSessionCommand,
  ListFindingsCommand,
  Macie2Client,
  Macie2ServiceException,
  type Finding,
} from "@aws-sdk/client-macie2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { collectMacieRegion, GET_FINDINGS_BATCH, toMacieFindingRecord } from "./collect";

const client = new Macie2Client({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
const mock = mockClient(client);
afterEach(() => mock.reset());
const ctx = { accountId: "111122223333", region: "us-east-1" };
const macieError = (name: string, status: number, message: string) =>
  new Macie2ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message });

const personalFinding = (id: string, bucket = "press"): Finding => ({
  id,
  accountId: "111122223333",
  region: "us-east-1",
  type: "SensitiveData:S3Object/Personal",
  category: "CLASSIFICATION",
  severity: { description: "High", score: 3 },
  count: 1,
  archived: false,
  createdAt: new Date("2026-07-20T12:00:00Z"),
  updatedAt: new Date("2026-07-20T12:00:00Z"),
  resourcesAffected: { s3Bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, s3Object: { key: "customers.csv" } },
  classificationDetails: {
    originType: "AUTOMATED_SENSITIVE_DATA_DISCOVERY",
    result: {
      status: { code: "COMPLETE" },
      sensitiveData: [
        {
          category: "PERSONAL_INFORMATION",
          totalCount: 24,
          detections: [
            { type: "USA_SOCIAL_SECURITY_NUMBER", count: 12 },
            { type: "DATE_OF_BIRTH", count: 12 },
          ],
        },
      ],
      customDataIdentifiers: { totalCount: 2, detections: [{ arn: "arn:cdi", name: "EMPLOYEE_ID", count: 2 }] },
    },
  },
});

describe("collectMacieRegion", () => {
  it("AccessDeniedException 'Macie is not enabled' → disabled, and nothing else is called", async () => {
    mock.on(GetMacieSessionCommand).rejects(macieError("AccessDeniedException", 403, "Macie is not enabled."));
    const result = await collectMacieRegion(client, ctx);
    expect(result).toEqual({
      session: { status: "disabled", reason: "Macie is not enabled." },
      findings: [],
      bucketProfiles: [],
      error: null,
    });
    expect(mock.commandCalls(ListFindingsCommand)).toHaveLength(0);
  });

  it("any other AccessDeniedException → unknown (a permissions problem, not a disabled service)", async () => {
    mock
      .on(GetMacieSessionCommand)
      .rejects(macieError("AccessDeniedException", 403, "User is not authorized to perform: macie2:GetMacieSession"));
    const result = await collectMacieRegion(client, ctx);
    expect(result.session).toEqual({
      status: "unknown",
      reason: "AccessDeniedException: User is not authorized to perform: macie2:GetMacieSession",
      errorCode: "AccessDeniedException",
    });
  });

  it("pages ListFindings and fetches details in GetFindings batches of at most 50", async () => {
    mock.on(GetMacieSessionCommand).resolves({ status: "ENABLED" });
    const ids = Array.from({ length: 120 }, (_, i) => `f${i}`);
    mock.on(ListFindingsCommand).resolves({ findingIds: ids.slice(0, 50), nextToken: "t2" });
    mock.on(ListFindingsCommand, { nextToken: "t2" }).resolves({ findingIds: ids.slice(50, 100), nextToken: "t3" });
    mock.on(ListFindingsCommand, { nextToken: "t3" }).resolves({ findingIds: ids.slice(100) });
    mock.on(GetFindingsCommand).callsFake((input: { findingIds: string[] }) => ({
      findings: input.findingIds.map((id) => personalFinding(id)),
    }));
    mock.on(DescribeBucketsCommand).resolves({ buckets: [] });

    const result = await collectMacieRegion(client, ctx);

    expect(result.error).toBeNull();
    expect(result.session).toEqual({ status: "enabled" });
    expect(result.findings).toHaveLength(120);
    const batches = mock.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.findingIds?.length ?? 0);
    expect(Math.max(...batches)).toBeLessThanOrEqual(GET_FINDINGS_BATCH);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(120);
    const criterion = mock.commandCalls(ListFindingsCommand)[0]?.args[0].input.findingCriteria?.criterion;
    expect(criterion).toMatchObject({
      category: { eq: ["CLASSIFICATION", "POLICY"] },
      archived: { eq: ["false"] },
      accountId: { eq: ["111122223333"] },
    });
  });

  it("pages DescribeBuckets into bucket profiles", async () => {
    mock.on(GetMacieSessionCommand).resolves({ status: "PAUSED" });
    mock.on(ListFindingsCommand).resolves({ findingIds: [] });
    mock.on(DescribeBucketsCommand).resolves({
      buckets: [
        {
          bucketName: "a",
          sensitivityScore: 87,
          classifiableObjectCount: 10,
          classifiableSizeInBytes: 2048,
          lastAutomatedDiscoveryTime: new Date("2026-07-31T00:00:00Z"),
          automatedDiscoveryMonitoringStatus: "MONITORED",
        },
      ],
      nextToken: "n",
    });
    mock.on(DescribeBucketsCommand, { nextToken: "n" }).resolves({ buckets: [{ bucketName: "b" }] });
    const result = await collectMacieRegion(client, ctx);
    expect(result.session).toEqual({ status: "paused" });
    expect(result.bucketProfiles).toEqual([
      {
        bucketName: "a",
        sensitivityScore: 87,
        classifiableObjectCount: 10,
        classifiableSizeInBytes: 2048,
        lastAutomatedDiscoveryTime: "2026-07-31T00:00:00.000Z",
        monitoringStatus: "MONITORED",
      },
      {
        bucketName: "b",
        sensitivityScore: null,
        classifiableObjectCount: 0,
        classifiableSizeInBytes: 0,
        lastAutomatedDiscoveryTime: null,
        monitoringStatus: null,
      },
    ]);
  });

  it("a throttled ListFindings sets error but still reads bucket profiles", async () => {
    mock.on(GetMacieSessionCommand).resolves({ status: "ENABLED" });
    mock.on(ListFindingsCommand).rejects(macieError("ThrottlingException", 429, "Rate exceeded"));
    mock.on(DescribeBucketsCommand).resolves({ buckets: [{ bucketName: "a" }] });
    const result = await collectMacieRegion(client, ctx);
    expect(result.error).toEqual({ code: "ThrottlingException", message: "Rate exceeded" });
    expect(result.bucketProfiles).toHaveLength(1);
  });
});

describe("toMacieFindingRecord", () => {
  it("maps a sensitive-data finding (AWS-documented shape)", () => {
    expect(toMacieFindingRecord(personalFinding("abc"), ctx)).toEqual({
      id: "abc",
      accountId: "111122223333",
      region: "us-east-1",
      bucketName: "press",
      type: "SensitiveData:S3Object/Personal",
      category: "CLASSIFICATION",
      severityScore: 3,
      severity: "High",
      count: 1,
      sensitiveDataCategories: ["PERSONAL_INFORMATION", "CUSTOM_IDENTIFIER"],
      detectionTypes: ["USA_SOCIAL_SECURITY_NUMBER", "DATE_OF_BIRTH", "EMPLOYEE_ID"],
      createdAt: "2026-07-20T12:00:00.000Z",
      updatedAt: "2026-07-20T12:00:00.000Z",
      archived: false,
    });
  });
  it("maps a policy finding (no classification details)", () => {
    const record = toMacieFindingRecord(
      {
        id: "p",
        category: "POLICY",
        type: "Policy:IAMUser/S3BucketPublic",
        severity: { description: "High", score: 3 },
        count: 2,
        createdAt: new Date(0),
        updatedAt: new Date(1000),
        resourcesAffected: { s3Bucket: { name: "pub" } },
      },
      ctx,
    );
    expect(record).toMatchObject({
      category: "POLICY",
      bucketName: "pub",
      sensitiveDataCategories: [],
      detectionTypes: [],
      count: 2,
      accountId: "111122223333",
    });
  });
  it("skips findings without a bucket", () => {
    expect(toMacieFindingRecord({ id: "x", category: "POLICY", resourcesAffected: {} }, ctx)).toBeNull();
  });
});
