import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
  S3ControlServiceException,
} from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { s3controlService } from "@/lib/sources/s3control/collect";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { s3Service, collectS3Account, UNKNOWN_REGION } from "./collect";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const s3Error = (name: string, status: number, message: string) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message,
  });

const stubFor = (client: S3Client) => mockClient(client);
type S3Stub = ReturnType<typeof stubFor>;

/** One real S3Client per region, each mocked separately, so the test sees which region each call went to. */
function setup(regions: string[]) {
  const clients = new Map(regions.map((r) => [r, new S3Client({ region: r, credentials })]));
  const mocks = new Map<string, S3Stub>();
  for (const [region, client] of clients) mocks.set(region, stubFor(client));
  const control = new S3ControlClient({ region: "us-east-1", credentials });
  const controlMock = mockClient(control);
  controlMock.on(GetAccountPublicAccessBlockCommand).rejects(
    new S3ControlServiceException({
      name: "NoSuchPublicAccessBlockConfiguration",
      $fault: "client",
      $metadata: { httpStatusCode: 404 },
      message: "The public access block configuration was not found",
    }),
  );
  const accountClients: AccountClients = {
    get: (service, region) => {
      if (service.key === s3controlService.key) return control as never;
      if (service.key !== s3Service.key) throw new Error(`not used: ${service.key}`);
      const c = clients.get(region);
      if (!c) throw new Error(`test has no S3 client for ${region}`);
      return c as never;
    },
  };
  return { accountClients, mocks, controlMock, m: (r: string) => mocks.get(r) as S3Stub };
}

/** A bucket with nothing configured: every absent error, versioning/logging omitted. */
function answerBareBuckets(mock: S3Stub) {
  mock
    .on(GetBucketEncryptionCommand)
    .rejects(s3Error("ServerSideEncryptionConfigurationNotFoundError", 404, "not found"));
  mock.on(GetBucketVersioningCommand).resolves({});
  mock.on(GetBucketLoggingCommand).resolves({});
  mock.on(GetPublicAccessBlockCommand).rejects(s3Error("NoSuchPublicAccessBlockConfiguration", 404, "not found"));
  mock.on(GetBucketPolicyCommand).rejects(s3Error("NoSuchBucketPolicy", 404, "The bucket policy does not exist"));
  mock.on(GetBucketPolicyStatusCommand).rejects(s3Error("NoSuchBucketPolicy", 404, "The bucket policy does not exist"));
  mock.on(GetBucketAclCommand).resolves({
    Owner: { ID: "owner" },
    Grants: [{ Grantee: { Type: "CanonicalUser", ID: "owner" }, Permission: "FULL_CONTROL" }],
  });
  mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error("OwnershipControlsNotFoundError", 404, "not found"));
  mock.on(GetBucketTaggingCommand).rejects(s3Error("NoSuchTagSet", 404, "The TagSet does not exist"));
  mock.on(GetObjectLockConfigurationCommand).rejects(s3Error("ObjectLockConfigurationNotFoundError", 404, "not found"));
  mock.on(GetBucketLifecycleConfigurationCommand).rejects(s3Error("NoSuchLifecycleConfiguration", 404, "not found"));
  mock.on(GetBucketReplicationCommand).rejects(s3Error("ReplicationConfigurationNotFoundError", 404, "not found"));
}

let env: ReturnType<typeof setup>;
afterEach(() => {
  for (const m of env.mocks.values()) m.restore();
  env.controlMock.restore();
});

describe("collectS3Account", () => {
  beforeEach(() => {
    env = setup(["us-east-1", "eu-west-1"]);
    for (const m of env.mocks.values()) answerBareBuckets(m);
  });

  it("pages ListBuckets over ContinuationToken with MaxBuckets set on every page", async () => {
    const home = env.m("us-east-1");
    home.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: "a", BucketRegion: "us-east-1", CreationDate: new Date("2020-01-01T00:00:00Z") },
        { Name: "b", BucketRegion: "us-east-1" },
      ],
      ContinuationToken: "page-2",
    });
    home
      .on(ListBucketsCommand, { ContinuationToken: "page-2" })
      .resolves({ Buckets: [{ Name: "c", BucketRegion: "us-east-1" }] });

    const result = await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" });

    expect(result.listError).toBeNull();
    expect(result.buckets.map((b) => b.name)).toEqual(["a", "b", "c"]);
    const listCalls = home.commandCalls(ListBucketsCommand);
    expect(listCalls).toHaveLength(2);
    for (const call of listCalls) expect(call.args[0].input.MaxBuckets).toBeGreaterThan(0);
    expect(listCalls[1]?.args[0].input.ContinuationToken).toBe("page-2");
    expect(result.buckets[0]).toMatchObject({
      arn: "arn:aws:s3:::a",
      region: "us-east-1",
      createdAt: "2020-01-01T00:00:00.000Z",
    });
    expect(result.buckets[1]?.createdAt).toBeNull();
  });

  it("maps every absent error to absent and omitted versioning/logging to Off/absent", async () => {
    env
      .m("us-east-1")
      .on(ListBucketsCommand)
      .resolves({ Buckets: [{ Name: "bare", BucketRegion: "us-east-1" }] });
    const [bucket] = (
      await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" })
    ).buckets;
    expect(bucket?.settings).toEqual({
      encryption: { status: "absent", errorCode: "ServerSideEncryptionConfigurationNotFoundError" },
      versioning: { status: "present", value: { status: "Off", mfaDelete: "Off" } },
      logging: { status: "absent" },
      publicAccessBlock: { status: "absent", errorCode: "NoSuchPublicAccessBlockConfiguration" },
      policy: { status: "absent", errorCode: "NoSuchBucketPolicy" },
      policyStatus: { status: "absent", errorCode: "NoSuchBucketPolicy" },
      acl: {
        status: "present",
        value: {
          ownerId: "owner",
          ownerDisplayName: null,
          grants: [{ granteeType: "CanonicalUser", grantee: "owner", displayName: null, permission: "FULL_CONTROL" }],
        },
      },
      ownershipControls: { status: "absent", errorCode: "OwnershipControlsNotFoundError" },
      tags: { status: "absent", errorCode: "NoSuchTagSet" },
      objectLock: { status: "absent", errorCode: "ObjectLockConfigurationNotFoundError" },
      lifecycle: { status: "absent", errorCode: "NoSuchLifecycleConfiguration" },
      replication: { status: "absent", errorCode: "ReplicationConfigurationNotFoundError" },
    });
  });

  it("reads each bucket with a client in the bucket's own region", async () => {
    env
      .m("us-east-1")
      .on(ListBucketsCommand)
      .resolves({
        Buckets: [
          { Name: "virginia", BucketRegion: "us-east-1" },
          { Name: "dublin", BucketRegion: "eu-west-1" },
        ],
      });
    const result = await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" });
    expect(result.buckets.map((b) => [b.name, b.region])).toEqual([
      ["virginia", "us-east-1"],
      ["dublin", "eu-west-1"],
    ]);
    const bucketsSeen = (region: string) =>
      env
        .m(region)
        .commandCalls(GetBucketPolicyCommand)
        .map((c) => c.args[0].input.Bucket);
    expect(bucketsSeen("us-east-1")).toEqual(["virginia"]);
    expect(bucketsSeen("eu-west-1")).toEqual(["dublin"]);
    expect(env.m("eu-west-1").commandCalls(GetBucketTaggingCommand)).toHaveLength(1);
  });

  it("falls back to GetBucketLocation when BucketRegion is missing (null → us-east-1, EU → eu-west-1)", async () => {
    const home = env.m("us-east-1");
    home.on(ListBucketsCommand).resolves({ Buckets: [{ Name: "old-virginia" }, { Name: "old-dublin" }] });
    home.on(GetBucketLocationCommand, { Bucket: "old-virginia" }).resolves({});
    home.on(GetBucketLocationCommand, { Bucket: "old-dublin" }).resolves({ LocationConstraint: "EU" });
    const result = await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" });
    expect(result.buckets.map((b) => [b.name, b.region])).toEqual([
      ["old-virginia", "us-east-1"],
      ["old-dublin", "eu-west-1"],
    ]);
    expect(
      env
        .m("eu-west-1")
        .commandCalls(GetBucketEncryptionCommand)
        .map((c) => c.args[0].input.Bucket),
    ).toEqual(["old-dublin"]);
  });

  it("a bucket whose location cannot be read keeps region 'unknown' and is still read through the home client", async () => {
    const home = env.m("us-east-1");
    home.on(ListBucketsCommand).resolves({ Buckets: [{ Name: "mystery" }] });
    home.on(GetBucketLocationCommand).rejects(s3Error("AccessDenied", 403, "Access Denied"));
    const [bucket] = (
      await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" })
    ).buckets;
    expect(bucket?.region).toBe(UNKNOWN_REGION);
    expect(bucket?.settings.encryption.status).toBe("absent");
  });

  it("one bucket's AccessDenied (and a throttled setting) does not affect the others", async () => {
    const home = env.m("us-east-1");
    home
      .on(ListBucketsCommand)
      .resolves({ Buckets: ["one", "locked", "three"].map((Name) => ({ Name, BucketRegion: "us-east-1" })) });
    for (const cmd of [
      GetBucketEncryptionCommand,
      GetBucketPolicyCommand,
      GetBucketAclCommand,
      GetBucketTaggingCommand,
      GetBucketVersioningCommand,
    ]) {
      home
        .on(cmd as typeof GetBucketPolicyCommand, { Bucket: "locked" })
        .rejects(s3Error("AccessDenied", 403, "Access Denied"));
    }
    home
      .on(GetBucketLoggingCommand, { Bucket: "three" })
      .rejects(s3Error("SlowDown", 503, "Please reduce your request rate."));

    const result = await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" });
    const byName = Object.fromEntries(result.buckets.map((b) => [b.name, b.settings]));
    expect(byName.locked?.policy).toEqual({
      status: "unknown",
      reason: "AccessDenied: Access Denied",
      errorCode: "AccessDenied",
    });
    expect(byName.locked?.encryption.status).toBe("unknown");
    expect(byName.locked?.versioning.status).toBe("unknown");
    expect(byName.locked?.lifecycle.status).toBe("absent");
    expect(byName.one?.policy.status).toBe("absent");
    expect(byName.three?.policy.status).toBe("absent");
    expect(byName.three?.logging).toEqual({
      status: "unknown",
      reason: "SlowDown: Please reduce your request rate.",
      errorCode: "SlowDown",
    });
    expect(byName.one?.logging.status).toBe("absent");
  });

  it("ListBuckets failing yields listError and no buckets (so nothing may be marked gone)", async () => {
    env
      .m("us-east-1")
      .on(ListBucketsCommand)
      .rejects(s3Error("AccessDenied", 403, "Access Denied"));
    const result = await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" });
    expect(result).toMatchObject({ buckets: [], listError: { code: "AccessDenied", message: "Access Denied" } });
    expect(result.accountSettings.publicAccessBlock).toEqual({
      status: "absent",
      errorCode: "NoSuchPublicAccessBlockConfiguration",
    });
  });

  it("reads the account-level Block Public Access through S3 Control with the account id", async () => {
    env.m("us-east-1").on(ListBucketsCommand).resolves({ Buckets: [] });
    env.controlMock.on(GetAccountPublicAccessBlockCommand, { AccountId: "111122223333" }).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    const result = await collectS3Account(env.accountClients, { accountId: "111122223333", homeRegion: "us-east-1" });
    expect(result.accountSettings.publicAccessBlock).toEqual({
      status: "present",
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    });
  });

  it("bounds bucket concurrency and reports progress", async () => {
    const home = env.m("us-east-1");
    const names = Array.from({ length: 20 }, (_, i) => `bucket-${i}`);
    home.on(ListBucketsCommand).resolves({ Buckets: names.map((Name) => ({ Name, BucketRegion: "us-east-1" })) });
    let inFlight = 0;
    let peak = 0;
    home.on(GetBucketEncryptionCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return {
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      };
    });
    const progress: number[] = [];
    const result = await collectS3Account(env.accountClients, {
      accountId: "111122223333",
      homeRegion: "us-east-1",
      bucketConcurrency: 3,
      onProgress: (p) => progress.push(p.bucketsDone),
    });
    expect(result.buckets).toHaveLength(20);
    expect(peak).toBeLessThanOrEqual(3);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(20);
    expect(result.buckets.every((b) => b.settings.encryption.status === "present")).toBe(true);
  });
});
