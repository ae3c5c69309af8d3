/**
 * Saved views against real Postgres: each user lists, opens and deletes only their own; a name is unique per user
 * and page (saving it again replaces the filters); the query must be one the page can show, within its limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAVED_VIEW_QUERY_MAX, SAVED_VIEWS_PER_PAGE, SaveViewSchema } from "@/lib/schemas/saved-view";
import { deleteSavedView, listSavedViews, saveView } from "@/lib/server/dal/saved-views";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let alice: Actor;
let bob: Actor;

const view = (page: string, name: string, query: string) => SaveViewSchema.parse({ page, name, query });
const issues = (input: Record<string, unknown>) =>
  SaveViewSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

beforeAll(async () => {
  db = await scratchDb("saved-views");
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const user = (email: string, role: "security_lead" | "manager") =>
    db.prisma.user.create({
      data: { email, name: email.split("@")[0]!, role, passwordHash: "not-a-real-hash" },
      select: { id: true, email: true, name: true },
    });
  alice = { ...(await user("alice@example.test", "security_lead")), role: "security-lead" };
  bob = { ...(await user("bob@example.test", "manager")), role: "manager" };
});
afterAll(async () => {
  const shared = (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb;
  await shared?.$disconnect();
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  await db.drop();
});

describe("saved views", () => {
  it("saves a view for its owner only, per page, and opens it with its query", async () => {
    const saved = await saveView(alice, view("buckets", "Public High", "?exposure=public&level=high&page=3"));
    expect(saved).toMatchObject({ name: "Public High", href: "/buckets?exposure=public&level=high", replaced: false });
    await saveView(alice, view("findings", "Personal data", "type=SensitiveData%3AS3Object%2FPersonal"));

    expect(await listSavedViews(alice, "buckets")).toEqual([
      { id: saved.id, name: "Public High", href: "/buckets?exposure=public&level=high" },
    ]);
    expect((await listSavedViews(alice, "findings")).map((v) => v.name)).toEqual(["Personal data"]);
    expect(await listSavedViews(bob, "buckets")).toEqual([]);
  });

  it("replaces the filters of a name saved again, and lets another user use the same name", async () => {
    const again = await saveView(alice, view("buckets", "Public High", "exposure=public&level=high&sort=name"));
    expect(again.replaced).toBe(true);
    const mine = await listSavedViews(alice, "buckets");
    expect(mine).toEqual([
      { id: again.id, name: "Public High", href: "/buckets?exposure=public&level=high&sort=name" },
    ]);
    const bobs = await saveView(bob, view("buckets", "Public High", "exposure=public"));
    expect(bobs.id).not.toBe(again.id);
    expect(await db.prisma.savedView.count({ where: { name: "Public High", page: "buckets" } })).toBe(2);
  });

  it("does not let another user delete a view, and says so as it would of a missing one", async () => {
    const [mine] = await listSavedViews(alice, "buckets");
    await expect(deleteSavedView(bob, mine!.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await listSavedViews(alice, "buckets")).toHaveLength(1);
    expect(await deleteSavedView(alice, mine!.id)).toEqual({ name: "Public High", page: "buckets" });
    expect(await listSavedViews(alice, "buckets")).toEqual([]);
    await expect(deleteSavedView(alice, mine!.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a caller who is not signed in", async () => {
    await expect(listSavedViews(null, "buckets")).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(saveView(null, view("buckets", "x", ""))).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it(`keeps at most ${SAVED_VIEWS_PER_PAGE} views per user and page`, async () => {
    for (let i = 0; i < SAVED_VIEWS_PER_PAGE; i++) await saveView(bob, view("audit", `v${i}`, ""));
    await expect(saveView(bob, view("audit", "one more", ""))).rejects.toMatchObject({ code: "invalid_input" });
    // Replacing one of them is still allowed.
    await expect(saveView(bob, view("audit", "v1", ""))).resolves.toMatchObject({ replaced: true });
  });
});

describe("SaveViewSchema", () => {
  it("validates the name, the page and the query with the page's own schema", () => {
    expect(issues({ page: "buckets", name: "  ", query: "" })).toEqual(["give the view a name"]);
    expect(issues({ page: "buckets", name: "x".repeat(61), query: "" })).toEqual([
      "a view's name is limited to 60 characters",
    ]);
    expect(issues({ page: "settings", name: "x", query: "" })).toEqual(["page must be one of the list pages"]);
    expect(issues({ page: "buckets", name: "x", query: "a=".padEnd(SAVED_VIEW_QUERY_MAX + 1, "b") })).toEqual([
      `a view's filters are limited to ${SAVED_VIEW_QUERY_MAX} characters`,
    ]);
    expect(issues({ page: "findings", name: "x", query: "severity=Critical" })).toEqual([
      "the view's filters: severity must be Low, Medium or High",
    ]);
    expect(issues({ page: "buckets", name: "a\u0000b", query: "" })).toHaveLength(1);
  });
});
