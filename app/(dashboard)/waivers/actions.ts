"use server";
import { revalidatePath } from "next/cache";
import { DecideWaiverSchema, ProposeWaiverSchema } from "@/lib/schemas/waiver";
import { formAction, succeeded } from "@/lib/server/actions/server-action";
import { decideWaiver, proposeWaiver } from "@/lib/server/dal/waivers";

export const proposeWaiverAction = formAction({
  permission: "waivers:propose",
  input: ProposeWaiverSchema,
  run: async ({ actor, input }) => {
    const created = await proposeWaiver(actor, input);
    revalidatePath("/waivers");
    revalidatePath(`/buckets/${created.bucketId}`);
    return created;
  },
  done: (created) => succeeded(`Waiver proposed for ${created.bucketName}; an admin other than you has to approve it.`),
});

export const decideWaiverAction = formAction({
  permission: "waivers:decide",
  input: DecideWaiverSchema,
  run: async ({ actor, input }) => {
    const result = await decideWaiver(actor, input);
    revalidatePath("/waivers");
    revalidatePath(`/buckets/${result.bucketId}`);
    return result;
  },
  done: (result) => succeeded(`Waiver ${result.status}.`),
});
