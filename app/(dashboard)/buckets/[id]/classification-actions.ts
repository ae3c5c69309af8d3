"use server";
import { revalidatePath } from "next/cache";
import { ClassifyBucketSchema } from "@/lib/schemas/classification";
import { formAction, succeeded } from "@/lib/server/actions/server-action";
import { classifyBucket } from "@/lib/server/dal/classification";

export const classifyBucketAction = formAction({
  permission: "buckets:classify",
  input: ClassifyBucketSchema,
  run: async ({ actor, input }) => {
    const result = await classifyBucket(actor, input);
    revalidatePath(`/buckets/${result.bucketId}`);
    return result;
  },
  done: (result) => succeeded(`Now evaluated as ${result.levelKey} (${result.levelSource}).`),
});
