/**
 * The CloudTrail collector against the AWS emulator: the SDK's real serialisation of DescribeTrails (shadow
 * trails included), GetTrailStatus and GetEventSelectors by ARN, and real error names. The trail is set up with
 * the test's own client; the collector only reads.
 */
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudtrailService, collectCloudTrailAccount } from "@/lib/sources/cloudtrail/collect";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { motoAvailable, startMotoServer, type MotoServer } from "../support/moto-server";

describe.skipIf(!motoAvailable())("the CloudTrail collector against the emulator", () => {
  let moto: MotoServer;
  let clients: AccountClients;

  beforeAll(async () => {
    moto = await startMotoServer();
    const config = { region: "eu-west-1", endpoint: moto.endpoint, credentials: moto.credentials };
    await new S3Client({ ...config, forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: "audit-logs", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    );
    const setup = new CloudTrailClient(config);
    await setup.send(
      new CreateTrailCommand({
        Name: "org-audit",
        S3BucketName: "audit-logs",
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
        IncludeGlobalServiceEvents: true,
      }),
    );
    await setup.send(new StartLoggingCommand({ Name: "org-audit" }));
    await setup.send(
      new PutEventSelectorsCommand({
        TrailName: "org-audit",
        EventSelectors: [
          {
            ReadWriteType: "All",
            IncludeManagementEvents: true,
            DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }],
          },
        ],
      }),
    );
    clients = {
      get: ((service: typeof cloudtrailService, region: string) =>
        service.create(
          { region, endpoint: moto.endpoint, credentials: async () => moto.credentials, retryMode: "adaptive" },
          {},
        )) as AccountClients["get"],
    };
  }, 60_000);
  afterAll(async () => moto?.stop());

  it("reads a multi-region trail from another region, with its status and selectors from its home region", async () => {
    const collection = await collectCloudTrailAccount(clients, { accountId: moto.accountId, homeRegion: "us-east-1" });
    expect(collection.error).toBeNull();
    expect(collection.trails).toHaveLength(1);
    expect(collection.trails[0]).toMatchObject({
      name: "org-audit",
      homeRegion: "eu-west-1",
      ownerAccountId: moto.accountId,
      isMultiRegion: true,
      logFileValidation: true,
      s3BucketName: "audit-logs",
      status: { ok: true, value: { isLogging: true } },
      eventSelectors: {
        ok: true,
        value: { basic: [expect.objectContaining({ ReadWriteType: "All", IncludeManagementEvents: true })] },
      },
    });
  });

  it("reads an account without trails as none", async () => {
    const other = { ...clients };
    const collection = await collectCloudTrailAccount(other, {
      accountId: moto.accountId,
      homeRegion: "ap-southeast-2",
    });
    // The multi-region trail shows up as a shadow in every region; nothing else exists.
    expect(collection.trails.map((t) => t.name)).toEqual(["org-audit"]);
  });
});
