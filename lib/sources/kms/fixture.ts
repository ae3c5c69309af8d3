/**
 * The fixture AWS's KMS, derived from the estate: every customer managed key an account's buckets name (and the
 * organisation trail's key, in the management account). Keys follow the account's default key policy; a key of a
 * bucket whose policy shares it with an account outside the organisation also lets that account decrypt (the
 * demo's partner exchange: shared by the bucket AND the key, so the partner can really read; not the partner feed,
 * whose bucket grant the key blocks); the trail's key lets a log-analytics vendor decrypt. About one key in
 * three does not rotate (never the demo's compliant High bucket's key). Another account's key answers AccessDenied, as KMS does without a grant.
 */
import {
  KMSServiceException,
  type DescribeKeyResponse,
  type GetKeyPolicyResponse,
  type GetKeyRotationStatusResponse,
  type ListAliasesResponse,
} from "@aws-sdk/client-kms";
import { organizationTrail } from "@/lib/sources/cloudtrail/fixture";
import { EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID, FIXTURE_REFERENCE_DATE } from "@/lib/sources/fixture/bucket-traits";
import { DEMO_SPECIAL_BUCKETS } from "@/lib/sources/fixture/estate";
import { hash32 } from "@/lib/sources/fixture/random";
import {
  DAY,
  fixtureServiceError,
  memo,
  UnsupportedFixtureOperationError,
  type FixtureAccountWorld,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";

const kmsError = (name: string, httpStatusCode: number, message: string) =>
  fixtureServiceError(KMSServiceException, name, httpStatusCode, message);

export const kmsFixture: FixtureResponder = {
  answer: ({ world, region, operation, input }) => answerKms(world, region, operation, input),
  throttlingError: () => kmsError("ThrottlingException", 400, "Rate exceeded"),
};

interface FixtureKey {
  arn: string;
  keyId: string;
  region: string;
  alias: string;
  /** Accounts outside the organisation the key policy lets decrypt. */
  sharedWith: string[];
}

/** The account's customer managed keys, by ARN. */
function keysOf(world: FixtureAccountWorld): Map<string, FixtureKey> {
  return memo(world, "kms-keys", () => {
    const keys = new Map<string, FixtureKey>();
    const add = (arn: string, alias: string, sharedWith: string[]) => {
      const [, , , region = "", , resource = ""] = arn.split(":");
      keys.set(arn, { arn, keyId: resource.replace(/^key\//, ""), region, alias, sharedWith });
    };
    for (const bucket of world.buckets) {
      const keyArn = bucket.encryption && "kmsKeyId" in bucket.encryption ? bucket.encryption.kmsKeyId : null;
      if (!keyArn || !keyArn.includes(`:${world.account.accountId}:`)) continue;
      const outside = (bucket.policy ?? []).flatMap((s) =>
        s.kind === "cross-account-read" && s.external && s.keyGrant !== false ? [s.principalAccountId] : [],
      );
      add(keyArn, `alias/${bucket.name}`, outside);
    }
    if (world.account.accountId === world.estate.managementAccountId) {
      const trailKey = organizationTrail(world.estate).trail.KmsKeyId;
      // The organisation's log-analytics vendor reads the trail's logs: its account may decrypt them.
      if (trailKey) add(trailKey, "alias/organization-trail", [EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID]);
    }
    return keys;
  });
}

function keyPolicy(world: FixtureAccountWorld, key: FixtureKey): string {
  const account = world.account.accountId;
  const statements: object[] = [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (key.sharedWith.length > 0) {
    statements.push({
      Sid: "AllowPartnerDecrypt",
      Effect: "Allow",
      Principal: { AWS: key.sharedWith.map((a) => `arn:aws:iam::${a}:root`) },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Id: "key-default-1", Statement: statements });
}

export function answerKms(
  world: FixtureAccountWorld,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): unknown {
  const keys = keysOf(world);
  const find = (keyId: unknown, action: string): FixtureKey => {
    const ref = String(keyId);
    if (/^arn:aws[a-z-]*:kms:/.test(ref) && !ref.includes(`:${world.account.accountId}:`)) {
      throw kmsError(
        "AccessDeniedException",
        400,
        `User: arn:aws:sts::${world.account.accountId}:assumed-role/CustodyReadOnly/custody is not authorized to perform: ${action} on resource: ${ref} because no resource-based policy allows the ${action} action`,
      );
    }
    const key = [...keys.values()].find(
      (k) => k.region === region && (k.arn === ref || k.keyId === ref || k.alias === ref),
    );
    if (!key) throw kmsError("NotFoundException", 400, `Key '${ref}' does not exist`);
    return key;
  };
  switch (operation) {
    case "ListAliases":
      return {
        Aliases: [...keys.values()]
          .filter((k) => k.region === region)
          .map((k) => ({
            AliasName: k.alias,
            AliasArn: `arn:aws:kms:${region}:${world.account.accountId}:${k.alias}`,
            TargetKeyId: k.keyId,
          })),
        Truncated: false,
      } satisfies ListAliasesResponse;
    case "DescribeKey": {
      const key = find(input.KeyId, "kms:DescribeKey");
      return {
        KeyMetadata: {
          AWSAccountId: world.account.accountId,
          KeyId: key.keyId,
          Arn: key.arn,
          CreationDate: new Date(FIXTURE_REFERENCE_DATE - (200 + (hash32(key.arn) % 900)) * DAY),
          Enabled: true,
          Description: `Default encryption for ${key.alias.replace(/^alias\//, "")}`,
          KeyUsage: "ENCRYPT_DECRYPT",
          KeyState: "Enabled",
          Origin: "AWS_KMS",
          KeyManager: "CUSTOMER",
          CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
          KeySpec: "SYMMETRIC_DEFAULT",
          EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
          MultiRegion: false,
        },
      } satisfies DescribeKeyResponse;
    }
    case "GetKeyPolicy": {
      const key = find(input.KeyId, "kms:GetKeyPolicy");
      return { Policy: keyPolicy(world, key), PolicyName: "default" } satisfies GetKeyPolicyResponse;
    }
    case "GetKeyRotationStatus": {
      const key = find(input.KeyId, "kms:GetKeyRotationStatus");
      // The demo's compliant High bucket meets every High control, key rotation included.
      const enabled =
        key.alias === `alias/${DEMO_SPECIAL_BUCKETS.compliantHigh}` || hash32("rotation", key.arn) % 3 !== 0;
      return {
        KeyRotationEnabled: enabled,
        KeyId: key.arn,
        ...(enabled ? { RotationPeriodInDays: 365 } : {}),
      } satisfies GetKeyRotationStatusResponse;
    }
    default:
      throw new UnsupportedFixtureOperationError("kms", operation);
  }
}
