"use server";
import { revalidatePath } from "next/cache";
import { NameVendorSchema } from "@/lib/schemas/known-vendor";
import { formAction, succeeded } from "@/lib/server/actions/server-action";
import { nameVendor } from "@/lib/server/dal/third-parties";

export const nameVendorAction = formAction({
  permission: "third-parties:name",
  input: NameVendorSchema,
  run: async ({ actor, input }) => {
    const named = await nameVendor(actor, input);
    revalidatePath("/third-parties");
    return named;
  },
  audit: ({ result }) => ({
    action: "vendor.name",
    targetType: "account",
    targetId: result.accountId,
    detail: { name: result.name, previousName: result.previousName },
  }),
  done: (named) => succeeded(`Account ${named.accountId} is now known as ${named.name}.`),
});
