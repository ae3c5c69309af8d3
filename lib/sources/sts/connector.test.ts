/**
 * The real connector against a local stand-in for STS and S3 on 127.0.0.1 (no AWS, no internet): proves the
 * credential exchange (RoleSessionName, ExternalId), one AssumeRole shared by all clients, call counting, the
 * read-only middleware, and error explanations.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetBucketVersioningCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { s3Service } from "@/lib/sources/s3/collect";
import { AssumeRoleError } from "@/lib/sources/shared/connector";
import { createAwsConnector, explainAssumeRoleError, ROLE_SESSION_NAME } from "./connector";

const ACCOUNT = {
  accountId: "111122223333",
  roleArn: "arn:aws:iam::111122223333:role/CustodyReadOnly",
  externalId: "custody-ext-123",
};
const ENFORCING = { ...ACCOUNT, roleArn: "arn:aws:iam::111122223333:role/Enforcing" };
const DENIED = { ...ACCOUNT, roleArn: "arn:aws:iam::111122223333:role/Missing" };

let server: Server;
let endpointUrl: string;
let assumeRequests: URLSearchParams[] = [];
let s3Requests: string[] = [];
const savedEnv = { ...process.env };

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
  });

const stsError = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

beforeAll(async () => {
  // Hub credentials from the environment only: never let the default chain probe instance metadata.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "AKIDHUB",
    AWS_SECRET_ACCESS_KEY: "hub-secret",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  server = createServer(async (req, res) => {
    const text = await body(req);
    const form = new URLSearchParams(text);
    if (form.get("Action") === "AssumeRole") {
      assumeRequests.push(form);
      const role = form.get("RoleArn") ?? "";
      const deny = role.endsWith("/Missing") || (role.endsWith("/Enforcing") && !form.get("ExternalId"));
      if (deny) {
        res.writeHead(403, { "content-type": "text/xml" });
        res.end(
          stsError(
            "AccessDenied",
            `User: arn:aws:iam::999999999999:user/hub is not authorized to perform: sts:AssumeRole on resource: ${role}`,
          ),
        );
        return;
      }
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>temp-secret</SecretAccessKey><SessionToken>temp-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:${form.get("RoleSessionName")}</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/CustodyReadOnly/${form.get("RoleSessionName")}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
      return;
    }
    if (form.get("Action") === "GetCallerIdentity") {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/CustodyReadOnly/${ROLE_SESSION_NAME}</Arn><UserId>AROAEXAMPLE:${ROLE_SESSION_NAME}</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
      return;
    }
    s3Requests.push(`${req.method} ${req.url} ${String(req.headers["x-amz-security-token"] ?? "")}`);
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.env = savedEnv;
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  assumeRequests = [];
  s3Requests = [];
});

describe("createAwsConnector", () => {
  it("assumes the role once with the ExternalId and session name, and shares it across every client", async () => {
    const connector = createAwsConnector({ hubRegion: "us-east-1", endpointUrl, forcePathStyle: true, maxAttempts: 1 });
    const clients = await connector.connect(ACCOUNT);
    const us = await clients.get(s3Service, "us-east-1").send(new GetBucketVersioningCommand({ Bucket: "b1" }));
    const eu = await clients.get(s3Service, "eu-west-1").send(new GetBucketVersioningCommand({ Bucket: "b2" }));
    expect(us.Status).toBe("Enabled");
    expect(eu.Status).toBe("Enabled");
    expect(clients.get(s3Service, "us-east-1")).toBe(clients.get(s3Service, "us-east-1"));
    expect(assumeRequests).toHaveLength(1);
    expect(assumeRequests[0]?.get("ExternalId")).toBe("custody-ext-123");
    expect(assumeRequests[0]?.get("RoleSessionName")).toBe("custody-collector");
    expect(s3Requests.every((r) => r.endsWith("temp-token"))).toBe(true);
    expect(connector.callCounts()).toEqual({ "s3:GetBucketVersioning": 2, "sts:AssumeRole": 1 });
  });

  it("refuses to send a write, before anything leaves the process", async () => {
    const clients = await createAwsConnector({
      hubRegion: "us-east-1",
      endpointUrl,
      forcePathStyle: true,
      maxAttempts: 1,
    }).connect(ACCOUNT);
    const write = new PutBucketVersioningCommand({ Bucket: "b", VersioningConfiguration: { Status: "Suspended" } });
    await expect(clients.get(s3Service, "us-east-1").send(write as never)).rejects.toThrow(
      /read-only.*s3:PutBucketVersioning/,
    );
    expect(s3Requests).toEqual([]);
  });

  it("a role that cannot be assumed throws AssumeRoleError with a plain-words explanation", async () => {
    const connector = createAwsConnector({ hubRegion: "us-east-1", endpointUrl, maxAttempts: 1 });
    const err = await connector.connect(DENIED).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssumeRoleError);
    expect(err).toMatchObject({
      code: "AccessDenied",
      explanation: expect.stringMatching(/trust policy.*ExternalId/s),
    });
  });

  it("testConnection: AssumeRole + GetCallerIdentity, and whether the trust policy enforces the ExternalId", async () => {
    const connector = createAwsConnector({ hubRegion: "us-east-1", endpointUrl, maxAttempts: 1 });
    expect(await connector.testConnection(ACCOUNT)).toEqual({
      ok: true,
      callerArn: "arn:aws:sts::111122223333:assumed-role/CustodyReadOnly/custody-collector",
      accountId: "111122223333",
      externalIdEnforced: false,
    });
    expect(await connector.testConnection(ENFORCING)).toMatchObject({ ok: true, externalIdEnforced: true });
    expect(await connector.testConnection(DENIED)).toMatchObject({ ok: false, code: "AccessDenied" });
    expect(connector.callCounts()["sts:GetCallerIdentity"]).toBeGreaterThanOrEqual(2);
  });
});

describe("explainAssumeRoleError", () => {
  const explain = (err: unknown) => explainAssumeRoleError(err, ACCOUNT, "eu-west-1");
  const aws = (name: string, message: string) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });

  it.each([
    [
      aws("AccessDenied", "User: x is not authorized to perform: sts:AssumeRole on resource: r"),
      "AccessDenied",
      /role does not exist.*trust policy.*ExternalId/s,
    ],
    [
      aws(
        "AccessDenied",
        "User: x is not authorized to perform: sts:AssumeRole on resource: r with an explicit deny in a service control policy",
      ),
      "AccessDenied",
      /service control policy/,
    ],
    [
      aws("RegionDisabledException", "STS is not activated in this region for account:111122223333"),
      "RegionDisabledException",
      /not activated in eu-west-1/,
    ],
    [
      aws("ExpiredToken", "The security token included in the request is expired"),
      "ExpiredToken",
      /hub\) credentials have expired/,
    ],
    [
      aws("InvalidClientTokenId", "The security token included in the request is invalid."),
      "InvalidClientTokenId",
      /not valid/,
    ],
    [
      Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
      "NoHubCredentials",
      /no AWS credentials of its own/,
    ],
    [aws("InternalFailure", "boom"), "InternalFailure", /InternalFailure: boom/],
  ])("%s → %s", (err, code, explanation) => {
    const e = explain(err);
    expect(e).toBeInstanceOf(AssumeRoleError);
    expect(e.code).toBe(code);
    expect(e.explanation).toMatch(explanation);
  });
});
