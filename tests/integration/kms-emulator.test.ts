/**
 * The KMS collector against the AWS emulator: real serialisation of ListAliases, DescribeKey, GetKeyPolicy and
 * GetKeyRotationStatus, and the real error of a key that does not exist. Keys are set up with the test's client.
 */
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectKmsKeys, kmsService } from "@/lib/sources/kms/collect";
import type { AccountClients } from "@/lib/sources/shared/connector";
import { motoAvailable, startMotoServer, type MotoServer } from "../support/moto-server";

describe.skipIf(!motoAvailable())("the KMS collector against the emulator", () => {
  let moto: MotoServer;
  let clients: AccountClients;
  let keyArn: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    const setup = new KMSClient({ region: "eu-west-1", endpoint: moto.endpoint, credentials: moto.credentials });
    const created = await setup.send(new CreateKeyCommand({ Description: "ledger data" }));
    keyArn = created.KeyMetadata!.Arn!;
    await setup.send(new CreateAliasCommand({ AliasName: "alias/ledger", TargetKeyId: created.KeyMetadata!.KeyId! }));
    await setup.send(new EnableKeyRotationCommand({ KeyId: created.KeyMetadata!.KeyId! }));
    clients = {
      get: ((service: typeof kmsService, region: string) =>
        service.create(
          { region, endpoint: moto.endpoint, credentials: async () => moto.credentials, retryMode: "adaptive" },
          {},
        )) as AccountClients["get"],
    };
  }, 60_000);
  afterAll(async () => moto?.stop());

  it("reads a key named by its alias: ARN, owner, policy, rotation and aliases", async () => {
    const collection = await collectKmsKeys(clients, {
      accountId: moto.accountId,
      references: [{ region: "eu-west-1", keyRef: "alias/ledger" }],
    });
    expect(collection.error).toBeNull();
    const key = collection.keys[0]!;
    expect(key).toMatchObject({
      arn: keyArn,
      ownerAccountId: moto.accountId,
      metadata: { ok: true, value: { keyManager: "CUSTOMER", keyState: "Enabled", description: "ledger data" } },
      rotation: { ok: true, value: { enabled: true } },
      aliases: ["alias/ledger"],
    });
    expect(key.policy.ok && JSON.parse(key.policy.value)).toMatchObject({ Statement: expect.any(Array) });
  });

  it("keeps a key that does not exist as unknown facts with the emulator's error", async () => {
    const collection = await collectKmsKeys(clients, {
      accountId: moto.accountId,
      references: [{ region: "eu-west-1", keyRef: "alias/missing" }],
    });
    expect(collection.keys[0]).toMatchObject({
      arn: null,
      metadata: { ok: false, reason: expect.stringMatching(/^NotFoundException/) },
      policy: { ok: false },
    });
  });
});
