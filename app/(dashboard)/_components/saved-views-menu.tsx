/** A list page's saved-views menu: the signed-in user's views of `page`, and saving the current `state` as one. */
import { deleteViewAction, saveViewAction } from "@/app/(dashboard)/saved-views/actions";
import { SavedViews } from "@/components/list-page/saved-views";
import { withQuery, type QueryState } from "@/lib/list-query";
import type { SavedViewPage } from "@/lib/schemas/saved-view";
import { listSavedViews } from "@/lib/server/dal/saved-views";
import type { Actor } from "@/lib/server/permissions";

export async function SavedViewsMenu({ actor, page, state }: { actor: Actor; page: SavedViewPage; state: QueryState }) {
  const views = await listSavedViews(actor, page);
  return (
    <SavedViews
      page={page}
      query={withQuery("", state).replace(/^\?/, "")}
      views={views}
      saveAction={saveViewAction}
      deleteAction={deleteViewAction}
    />
  );
}
