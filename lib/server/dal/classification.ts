import "server-only";
/**
 * Manual classification: beats the tag, which beats the fallback. Setting or clearing it is audited (who, when,
 * why, from → to) and the bucket is re-evaluated at once, so its page shows the new verdicts.
 */
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { ClassifyBucketSchema } from "@/lib/schemas/classification";
import { parseInput } from "@/lib/schemas/parse-input";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";
import { reevaluateAndWait } from "@/lib/evaluation/reevaluation";
import { loadCurrentScheme } from "@/lib/evaluation/scheme-store";

export async function classifyBucketWith(client: Db, actor: Actor | null, raw: unknown) {
  authorize(actor, "buckets:classify");
  const { bucketId, levelKey, reason } = parseInput(ClassifyBucketSchema, raw);
  const bucket = await client.bucket.findUnique({
    where: { id: bucketId },
    select: { id: true, name: true, levelKey: true, levelSource: true, classification: { select: { levelKey: true } } },
  });
  if (!bucket) throw new AppError("not_found", `There is no bucket with id ${bucketId}.`);
  if (levelKey) {
    const { scheme } = await loadCurrentScheme(client);
    if (!scheme.levels.some((l) => l.key === levelKey))
      throw new AppError("invalid_input", `level: "${levelKey}" is not a level of the current scheme.`);
  } else if (!bucket.classification) {
    throw new AppError("conflict", "This bucket has no manual level to clear.");
  }
  const from = { levelKey: bucket.levelKey, source: bucket.levelSource };
  await client.$transaction(async (tx) => {
    if (levelKey) {
      await tx.bucketClassification.upsert({
        where: { bucketId },
        create: { bucketId, levelKey, reason, setById: actor.id },
        update: { levelKey, reason, setById: actor.id, setAt: new Date() },
      });
    } else {
      await tx.bucketClassification.delete({ where: { bucketId } });
    }
    await writeAudit(tx, {
      actor,
      action: levelKey ? "classification.set" : "classification.clear",
      targetType: "bucket",
      targetId: String(bucketId),
      outcome: "success",
      detail: { bucket: bucket.name, from, to: levelKey ? { levelKey, source: "manual" } : "tag or fallback", reason },
    });
  });
  await reevaluateAndWait(client, { id: bucketId });
  const after = await client.bucket.findUniqueOrThrow({
    where: { id: bucketId },
    select: { levelKey: true, levelSource: true },
  });
  return { bucketId, name: bucket.name, levelKey: after.levelKey, levelSource: after.levelSource };
}

export const classifyBucket = (actor: Actor | null, raw: unknown) => classifyBucketWith(db(), actor, raw);
