/**
 * KMS collector for one account: the keys that guard its data — every key an SSE-KMS bucket or a trail of the
 * account names, and every key of the account that another linked account's buckets or trails name — with what
 * the key is (DescribeKey), who may use it (GetKeyPolicy "default"), whether it rotates (GetKeyRotationStatus) and
 * its aliases (ListAliases). Calls go to the key's region.
 *
 * A key in another account is read with this account's role: DescribeKey and GetKeyRotationStatus work only if the
 * key's policy lets this account in, and GetKeyPolicy never works across accounts — each failure is kept as that
 * fact's unknown reason, never as a pass. The key's owner, if linked, reads its policy in its own sync.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
} from "@aws-sdk/client-kms";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import { describeAwsError, settleIn } from "@/lib/sources/shared/aws-call-result";
import type { AccountClients, AwsService } from "@/lib/sources/shared/connector";

export const kmsService: AwsService<KMSClient> = {
  key: "kms",
  create: (config) => new KMSClient(config),
};

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A key as some bucket or trail names it (key id, key ARN, alias name or alias ARN), in a region. */
export interface KeyReference {
  region: string;
  keyRef: string;
}

export interface KeyRecord extends KeyReference {
  /** The key's ARN: from DescribeKey, or the reference itself when it already was a key ARN. */
  arn: string | null;
  /** The account that owns the key (from its ARN), when known. */
  ownerAccountId: string | null;
  metadata: Read<{
    keyManager: string | null;
    keyState: string | null;
    origin: string | null;
    keySpec: string | null;
    description: string | null;
    createdAt: string | null;
  }>;
  /** The key policy document as KMS returned it (a JSON string). */
  policy: Read<string>;
  rotation: Read<{ enabled: boolean; periodDays: number | null }>;
  aliases: string[];
}

export interface KmsCollection {
  keys: KeyRecord[];
  error: { code: string; message: string } | null;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const KEY_CONCURRENCY = 4;

export async function collectKmsKeys(
  clients: AccountClients,
  ctx: { accountId: string; references: KeyReference[] },
): Promise<KmsCollection> {
  // One read per distinct key reference; a key ARN names its own region.
  const distinct = new Map<string, KeyReference>();
  for (const ref of ctx.references) {
    const region = KEY_ARN.exec(ref.keyRef)?.[1] ?? ref.region;
    distinct.set(`${region}\u0000${ref.keyRef}`, { region, keyRef: ref.keyRef });
  }

  // Aliases of this account's keys, per region involved (paged).
  const aliasesByKeyId = new Map<string, string[]>();
  let error: KmsCollection["error"] = null;
  for (const region of new Set([...distinct.values()].map((r) => r.region))) {
    let marker: string | undefined;
    do {
      const page = await settleIn(
        region,
        clients.get(kmsService, region).send(new ListAliasesCommand({ Marker: marker })),
      );
      if (!page.ok) {
        error ??= { code: page.error.name, message: page.error.message };
        break;
      }
      for (const alias of page.output.Aliases ?? []) {
        if (!alias.TargetKeyId || !alias.AliasName) continue;
        aliasesByKeyId.set(alias.TargetKeyId, [...(aliasesByKeyId.get(alias.TargetKeyId) ?? []), alias.AliasName]);
      }
      marker = page.output.Truncated ? page.output.NextMarker : undefined;
    } while (marker);
  }

  const keys = await mapWithConcurrency([...distinct.values()], KEY_CONCURRENCY, async (ref): Promise<KeyRecord> => {
    const client = clients.get(kmsService, ref.region);
    const described = await settleIn(ref.region, client.send(new DescribeKeyCommand({ KeyId: ref.keyRef })));
    const meta = described.ok ? described.output.KeyMetadata : undefined;
    const arn = meta?.Arn ?? (KEY_ARN.test(ref.keyRef) ? ref.keyRef : null);
    const ownerAccountId = meta?.AWSAccountId ?? (arn ? (KEY_ARN.exec(arn)?.[2] ?? null) : null);
    const keyId = arn ?? ref.keyRef;
    const [policy, rotation] = await Promise.all([
      settleIn(ref.region, client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))),
      settleIn(ref.region, client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))),
    ]);
    return {
      ...ref,
      arn,
      ownerAccountId,
      metadata: described.ok
        ? {
            ok: true,
            value: {
              keyManager: meta?.KeyManager ?? null,
              keyState: meta?.KeyState ?? null,
              origin: meta?.Origin ?? null,
              keySpec: meta?.KeySpec ?? null,
              description: meta?.Description || null,
              createdAt: meta?.CreationDate ? new Date(meta.CreationDate).toISOString() : null,
            },
          }
        : { ok: false, reason: describeAwsError(described.error) },
      policy: policy.ok
        ? policy.output.Policy
          ? { ok: true, value: policy.output.Policy }
          : { ok: false, reason: "GetKeyPolicy returned no policy" }
        : { ok: false, reason: describeAwsError(policy.error) },
      rotation: rotation.ok
        ? {
            ok: true,
            value: {
              enabled: rotation.output.KeyRotationEnabled === true,
              periodDays: rotation.output.RotationPeriodInDays ?? null,
            },
          }
        : { ok: false, reason: describeAwsError(rotation.error) },
      aliases: meta?.KeyId ? (aliasesByKeyId.get(meta.KeyId) ?? []) : [],
    };
  });
  return { keys, error };
}
