import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  KMSServiceException,
  ListAliasesCommand,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { collectKmsKeys } from "./collect";

const ACCOUNT = "111122223333";
const OTHER = "999988887777";
const credentials = { accessKeyId: "AKID", secretAccessKey: "s" };
const euClient = new KMSClient({ region: "eu-west-1", credentials });
const usClient = new KMSClient({ region: "us-east-1", credentials });
const eu = mockClient(euClient);
const us = mockClient(usClient);
afterEach(() => {
  eu.reset();
  us.reset();
});
const clients: AccountClients = {
  get: ((_s: unknown, region: string) => (region === "eu-west-1" ? euClient : usClient)) as AccountClients["get"],
};
const ownKey = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const otherKey = `arn:aws:kms:us-east-1:${OTHER}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
const accessDenied = (action: string) =>
  new KMSServiceException({
    name: "AccessDeniedException",
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
    message: `User is not authorized to perform: ${action}`,
  });

describe("collectKmsKeys", () => {
  it("reads an own key in its region: metadata, default policy, rotation and aliases", async () => {
    eu.on(ListAliasesCommand).resolves({
      Aliases: [{ AliasName: "alias/ledger", TargetKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }],
      Truncated: false,
    });
    eu.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
        Arn: ownKey,
        AWSAccountId: ACCOUNT,
        KeyManager: "CUSTOMER",
        KeyState: "Enabled",
        Origin: "AWS_KMS",
        KeySpec: "SYMMETRIC_DEFAULT",
        CreationDate: new Date("2024-01-02T03:04:05Z"),
      },
    });
    eu.on(GetKeyPolicyCommand).resolves({ Policy: '{"Version":"2012-10-17","Statement":[]}', PolicyName: "default" });
    eu.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });

    // The same key named twice (two buckets) is read once; the region comes from the ARN.
    const collection = await collectKmsKeys(clients, {
      accountId: ACCOUNT,
      references: [
        { region: "us-east-1", keyRef: ownKey },
        { region: "eu-west-1", keyRef: ownKey },
      ],
    });
    expect(collection.error).toBeNull();
    expect(collection.keys).toEqual([
      {
        region: "eu-west-1",
        keyRef: ownKey,
        arn: ownKey,
        ownerAccountId: ACCOUNT,
        metadata: {
          ok: true,
          value: {
            keyManager: "CUSTOMER",
            keyState: "Enabled",
            origin: "AWS_KMS",
            keySpec: "SYMMETRIC_DEFAULT",
            description: null,
            createdAt: "2024-01-02T03:04:05.000Z",
          },
        },
        policy: { ok: true, value: '{"Version":"2012-10-17","Statement":[]}' },
        rotation: { ok: true, value: { enabled: true, periodDays: 365 } },
        aliases: ["alias/ledger"],
      },
    ]);
    expect(eu.commandCalls(GetKeyPolicyCommand)[0]?.args[0].input).toEqual({ KeyId: ownKey, PolicyName: "default" });
  });

  it("keeps another account's key as unknown facts with their reasons, never as a pass", async () => {
    us.on(ListAliasesCommand).resolves({ Aliases: [], Truncated: false });
    us.on(DescribeKeyCommand).rejects(accessDenied("kms:DescribeKey"));
    us.on(GetKeyPolicyCommand).rejects(accessDenied("kms:GetKeyPolicy"));
    us.on(GetKeyRotationStatusCommand).rejects(accessDenied("kms:GetKeyRotationStatus"));
    const collection = await collectKmsKeys(clients, {
      accountId: ACCOUNT,
      references: [{ region: "us-east-1", keyRef: otherKey }],
    });
    expect(collection.keys[0]).toMatchObject({
      arn: otherKey,
      ownerAccountId: OTHER,
      metadata: { ok: false, reason: "AccessDeniedException: User is not authorized to perform: kms:DescribeKey" },
      policy: { ok: false, reason: expect.stringContaining("kms:GetKeyPolicy") },
      rotation: { ok: false },
    });
  });

  it("pages ListAliases and reports its failure as the read's error", async () => {
    eu.on(ListAliasesCommand, { Marker: undefined }).resolves({
      Aliases: [{ AliasName: "alias/a", TargetKeyId: "k1" }],
      Truncated: true,
      NextMarker: "m2",
    });
    eu.on(ListAliasesCommand, { Marker: "m2" }).resolves({
      Aliases: [{ AliasName: "alias/b", TargetKeyId: "k1" }],
      Truncated: false,
    });
    eu.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "k1", Arn: ownKey, AWSAccountId: ACCOUNT } });
    eu.on(GetKeyPolicyCommand).resolves({ Policy: "{}" });
    eu.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    const paged = await collectKmsKeys(clients, {
      accountId: ACCOUNT,
      references: [{ region: "eu-west-1", keyRef: "alias/a" }],
    });
    expect(paged.keys[0]?.aliases).toEqual(["alias/a", "alias/b"]);
    expect(paged.keys[0]?.rotation).toEqual({ ok: true, value: { enabled: false, periodDays: null } });

    eu.reset();
    eu.on(ListAliasesCommand).rejects(accessDenied("kms:ListAliases"));
    eu.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "k1", Arn: ownKey, AWSAccountId: ACCOUNT } });
    eu.on(GetKeyPolicyCommand).resolves({ Policy: "{}" });
    eu.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
    const failed = await collectKmsKeys(clients, {
      accountId: ACCOUNT,
      references: [{ region: "eu-west-1", keyRef: ownKey }],
    });
    expect(failed.error).toEqual({ code: "AccessDeniedException", message: expect.any(String) });
    expect(failed.keys).toHaveLength(1);
  });
});
