"use server";
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/action-state";
import { actionFailure } from "@/lib/server/action-result";
import { currentActor } from "@/lib/server/auth/current-actor";
import { classifyBucket } from "@/lib/server/dal/classification";

export async function classifyBucketAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const result = await classifyBucket(await currentActor(), {
      bucketId: form.get("bucketId"),
      levelKey: form.get("levelKey") ?? "",
      reason: form.get("reason") ?? "",
    });
    revalidatePath(`/buckets/${result.bucketId}`);
    return { ok: true, message: `Now evaluated as ${result.levelKey} (${result.levelSource}).`, errors: [] };
  } catch (error) {
    return actionFailure(error);
  }
}
