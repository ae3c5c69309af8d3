import "server-only";
/**
 * The bucket page's key card: the KMS key the bucket's default encryption names (owner, rotation, who can decrypt)
 * and the effective access of every principal outside the organisation. Assembled by the evaluation's own context
 * for this one bucket, so the card always agrees with the stored verdicts (the key controls, the reachable flag).
 */
import { computeEffectiveAccess, type BucketKeyAccess } from "@/lib/domain/access/effective-access";
import { bucketKeyChoice } from "@/lib/domain/kms/bucket-key";
import { loadEvaluationContext } from "@/lib/evaluation/evaluation-context";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

export async function getBucketKeyAccess(
  actor: Actor | null,
  bucket: { id: number; accountId: string },
): Promise<BucketKeyAccess | null> {
  authorize(actor, "buckets:read");
  const context = await loadEvaluationContext(db(), { buckets: { accountId: bucket.accountId, id: bucket.id } });
  for await (const page of context.bucketPages({ settings: true })) {
    const [one] = await context.inputsFor(page);
    if (!one) continue;
    const input = one.args.input;
    const encryption = input.settings.encryption;
    return {
      choice:
        encryption.status === "present"
          ? bucketKeyChoice(encryption.value)
          : encryption.status === "absent"
            ? { kind: "none", algorithms: [] }
            : null,
      encryptionUnknown: encryption.status === "unknown" ? encryption.reason : null,
      key: input.kmsKey,
      access: computeEffectiveAccess(input),
    };
  }
  return null;
}
