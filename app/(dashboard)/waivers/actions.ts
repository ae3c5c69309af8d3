"use server";
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/action-state";
import { actionFailure } from "@/lib/server/action-result";
import { currentActor } from "@/lib/server/auth/current-actor";
import { decideWaiver, proposeWaiver } from "@/lib/server/dal/waivers";

export async function proposeWaiverAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const created = await proposeWaiver(await currentActor(), {
      bucket: form.get("bucket") ?? undefined,
      controlId: form.get("controlId") ?? undefined,
      reason: form.get("reason") ?? undefined,
      owner: form.get("owner") ?? undefined,
      expiresOn: form.get("expiresOn") ?? undefined,
    });
    revalidatePath("/waivers");
    revalidatePath(`/buckets/${created.bucketId}`);
    return {
      ok: true,
      message: `Waiver proposed for ${created.bucketName}; an admin other than you has to approve it.`,
      errors: [],
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function decideWaiverAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const result = await decideWaiver(await currentActor(), {
      waiverId: form.get("waiverId"),
      decision: form.get("decision"),
      note: form.get("note") ?? undefined,
    });
    revalidatePath("/waivers");
    revalidatePath(`/buckets/${result.bucketId}`);
    return { ok: true, message: `Waiver ${result.status}.`, errors: [] };
  } catch (error) {
    return actionFailure(error);
  }
}
