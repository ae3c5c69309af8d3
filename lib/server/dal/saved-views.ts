import "server-only";
/**
 * Saved views: a user's own named filters per list page. Every function works on the caller's own rows only (the
 * user id is the actor's, never an input), so another user's views can be neither listed, opened nor deleted — a
 * view id of someone else's answers "not found", like one that does not exist.
 */
import { AppError } from "@/lib/errors";
import { SAVED_VIEW_PAGES, SAVED_VIEWS_PER_PAGE, type SaveView, type SavedViewPage } from "@/lib/schemas/saved-view";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

export interface SavedViewDto {
  id: string;
  name: string;
  /** The page with the view's query. */
  href: string;
}

const hrefOf = (page: SavedViewPage, query: string) =>
  query ? `${SAVED_VIEW_PAGES[page].path}?${query}` : SAVED_VIEW_PAGES[page].path;

export async function listSavedViews(actor: Actor | null, page: SavedViewPage): Promise<SavedViewDto[]> {
  authorize(actor, "self:manage");
  const rows = await db().savedView.findMany({
    where: { userId: actor.id, page },
    select: { id: true, name: true, query: true },
    orderBy: { name: "asc" },
    take: SAVED_VIEWS_PER_PAGE,
  });
  return rows.map((r) => ({ id: r.id, name: r.name, href: hrefOf(page, r.query) }));
}

/** Save the view under its name; a view of the same name on the same page is replaced (its filters updated). */
export async function saveView(actor: Actor | null, view: SaveView): Promise<SavedViewDto & { replaced: boolean }> {
  authorize(actor, "self:manage");
  const client = db();
  const key = { userId_page_name: { userId: actor.id, page: view.page, name: view.name } };
  return client.$transaction(async (tx) => {
    const existing = await tx.savedView.findUnique({ where: key, select: { id: true } });
    if (!existing) {
      const count = await tx.savedView.count({ where: { userId: actor.id, page: view.page } });
      if (count >= SAVED_VIEWS_PER_PAGE) {
        throw new AppError(
          "invalid_input",
          `You have ${SAVED_VIEWS_PER_PAGE} saved views on this page already; delete one to save another.`,
        );
      }
    }
    const saved = await tx.savedView.upsert({
      where: key,
      create: { userId: actor.id, page: view.page, name: view.name, query: view.query },
      update: { query: view.query },
      select: { id: true, name: true, query: true },
    });
    return { id: saved.id, name: saved.name, href: hrefOf(view.page, saved.query), replaced: existing !== null };
  });
}

export async function deleteSavedView(actor: Actor | null, id: string): Promise<{ name: string; page: SavedViewPage }> {
  authorize(actor, "self:manage");
  const client = db();
  const view = await client.savedView.findFirst({
    where: { id, userId: actor.id },
    select: { name: true, page: true },
  });
  const { count } = await client.savedView.deleteMany({ where: { id, userId: actor.id } });
  if (!view || count === 0) throw new AppError("not_found", "There is no such saved view of yours.");
  return { name: view.name, page: view.page as SavedViewPage };
}
