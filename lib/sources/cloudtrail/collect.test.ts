import {
  CloudTrailClient,
  CloudTrailServiceException,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { collectCloudTrailAccount } from "./collect";

const ACCOUNT = "111122223333";
const MANAGEMENT = "999900001111";
const credentials = { accessKeyId: "AKID", secretAccessKey: "s" };
const home = new CloudTrailClient({ region: "us-east-1", credentials });
const other = new CloudTrailClient({ region: "eu-west-1", credentials });
const homeMock = mockClient(home);
const otherMock = mockClient(other);
afterEach(() => {
  homeMock.reset();
  otherMock.reset();
});
const clients: AccountClients = {
  get: ((_service: unknown, region: string) => (region === "us-east-1" ? home : other)) as AccountClients["get"],
};

const ownTrailArn = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/management-events`;
const orgTrailArn = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`;

const denied = () =>
  new CloudTrailServiceException({
    name: "AccessDeniedException",
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
    message: "User is not authorized to perform: cloudtrail:GetEventSelectors",
  });

describe("collectCloudTrailAccount", () => {
  it("lists trails with shadows from the home region and reads each own trail in its home region", async () => {
    homeMock.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: "management-events",
          TrailARN: ownTrailArn,
          HomeRegion: "eu-west-1",
          IsMultiRegionTrail: true,
          LogFileValidationEnabled: true,
          S3BucketName: "audit-logs",
          CloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail:*`,
          IsOrganizationTrail: false,
        },
        {
          Name: "org-trail",
          TrailARN: orgTrailArn,
          HomeRegion: "us-east-1",
          IsMultiRegionTrail: true,
          IsOrganizationTrail: true,
        },
      ],
    });
    otherMock.on(GetTrailStatusCommand, { Name: ownTrailArn }).resolves({
      IsLogging: true,
      LatestDeliveryTime: new Date("2026-12-01T10:00:00Z"),
    });
    otherMock.on(GetEventSelectorsCommand, { TrailName: ownTrailArn }).resolves({
      TrailARN: ownTrailArn,
      AdvancedEventSelectors: [
        {
          Name: "S3 data",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          ],
        },
      ],
    });

    const collection = await collectCloudTrailAccount(clients, { accountId: ACCOUNT, homeRegion: "us-east-1" });

    expect(homeMock.commandCalls(DescribeTrailsCommand)[0]?.args[0].input).toEqual({ includeShadowTrails: true });
    expect(collection.error).toBeNull();
    const own = collection.trails.find((t) => t.arn === ownTrailArn);
    expect(own).toMatchObject({
      ownerAccountId: ACCOUNT,
      homeRegion: "eu-west-1",
      isMultiRegion: true,
      logFileValidation: true,
      s3BucketName: "audit-logs",
      status: { ok: true, value: { isLogging: true, latestDeliveryTime: "2026-12-01T10:00:00.000Z" } },
      eventSelectors: { ok: true, value: { basic: [], advanced: [expect.objectContaining({ Name: "S3 data" })] } },
    });
    // The organisation trail is the management account's to read: no status call from a member.
    const org = collection.trails.find((t) => t.arn === orgTrailArn);
    expect(org).toMatchObject({
      ownerAccountId: MANAGEMENT,
      isOrganizationTrail: true,
      status: null,
      eventSelectors: null,
    });
    expect(homeMock.commandCalls(GetTrailStatusCommand)).toHaveLength(0);
    expect(otherMock.commandCalls(GetTrailStatusCommand)).toHaveLength(1);
  });

  it("keeps a trail whose selectors cannot be read, with the reason", async () => {
    homeMock.on(DescribeTrailsCommand).resolves({
      trailList: [{ Name: "t", TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`, HomeRegion: "us-east-1" }],
    });
    homeMock.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    homeMock.on(GetEventSelectorsCommand).rejects(denied());
    const collection = await collectCloudTrailAccount(clients, { accountId: ACCOUNT, homeRegion: "us-east-1" });
    expect(collection.trails[0]?.status).toEqual({
      ok: true,
      value: expect.objectContaining({ isLogging: false }),
    });
    expect(collection.trails[0]?.eventSelectors).toEqual({
      ok: false,
      reason: "AccessDeniedException: User is not authorized to perform: cloudtrail:GetEventSelectors",
    });
  });

  it("reports a failed DescribeTrails as the read's error, with no trails", async () => {
    homeMock.on(DescribeTrailsCommand).rejects(denied());
    const collection = await collectCloudTrailAccount(clients, { accountId: ACCOUNT, homeRegion: "us-east-1" });
    expect(collection).toEqual({ trails: [], error: { code: "AccessDeniedException", message: expect.any(String) } });
  });

  it("reads an account without trails as none", async () => {
    homeMock.on(DescribeTrailsCommand).resolves({ trailList: [] });
    expect(await collectCloudTrailAccount(clients, { accountId: ACCOUNT, homeRegion: "us-east-1" })).toEqual({
      trails: [],
      error: null,
    });
  });
});
