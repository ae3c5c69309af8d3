"use server";
import { revalidatePath } from "next/cache";
import { DeleteViewSchema, SAVED_VIEW_PAGES, SaveViewSchema } from "@/lib/schemas/saved-view";
import { formAction, succeeded } from "@/lib/server/actions/server-action";
import { deleteSavedView, saveView } from "@/lib/server/dal/saved-views";

export const saveViewAction = formAction({
  permission: "self:manage",
  input: SaveViewSchema,
  run: async ({ actor, input }) => {
    const saved = await saveView(actor, input);
    revalidatePath(SAVED_VIEW_PAGES[input.page].path);
    return saved;
  },
  done: (saved) => succeeded(saved.replaced ? `View “${saved.name}” updated.` : `View “${saved.name}” saved.`),
});

export const deleteViewAction = formAction({
  permission: "self:manage",
  input: DeleteViewSchema,
  run: async ({ actor, input }) => {
    const deleted = await deleteSavedView(actor, input.id);
    revalidatePath(SAVED_VIEW_PAGES[deleted.page].path);
    return deleted;
  },
  done: (deleted) => succeeded(`View “${deleted.name}” deleted.`),
});
