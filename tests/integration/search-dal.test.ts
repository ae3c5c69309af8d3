/**
 * The global search (⌘K) against real Postgres with the demo organisation: what each group finds, who may see which
 * group, and that LIKE's wildcards in the typed text are taken literally.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { DEMO_SPECIAL_BUCKETS } from "@/lib/sources/fixture/estate";
import { SearchQuerySchema } from "@/lib/schemas/search-query";
import { ACCOUNT_OPTIONS_LIMIT, searchAccountOptions } from "@/lib/server/dal/accounts";
import { evidenceOptions } from "@/lib/server/dal/evidence";
import { SEARCH_LIMITS, searchEverything, type SearchResults } from "@/lib/server/dal/search";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let lead: Actor;
let manager: Actor;
let auditor: Actor;

const search = (actor: Actor | null, q: string) => searchEverything(actor, SearchQuerySchema.parse({ q }));
const group = (r: SearchResults, key: SearchResults["groups"][number]["key"]) =>
  r.groups.find((g) => g.key === key)?.hits ?? [];

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("search");
  await loadDemoOrganisation(db.prisma);
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const user = (role: string) => users.find((u) => u.role === role)!;
  lead = { ...user("security_lead"), role: "security-lead" };
  manager = { ...user("manager"), role: "manager" };
  auditor = { ...user("auditor"), role: "auditor" };
});
afterAll(async () => {
  const shared = (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb;
  await shared?.$disconnect();
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  await db.drop();
});

describe("searchEverything", () => {
  it("finds buckets by part of their name, the exact name first, each opening its bucket page", async () => {
    const r = await search(lead, "marketing-public");
    const buckets = group(r, "buckets");
    expect(buckets[0]?.label).toBe(DEMO_SPECIAL_BUCKETS.publicRead);
    const id = (await db.prisma.bucket.findFirstOrThrow({ where: { name: DEMO_SPECIAL_BUCKETS.publicRead } })).id;
    expect(buckets[0]?.href).toBe(`/buckets/${id}`);

    const exact = group(await search(lead, DEMO_SPECIAL_BUCKETS.publicRead), "buckets");
    expect(exact[0]?.label).toBe(DEMO_SPECIAL_BUCKETS.publicRead);
  });

  it("caps each group and counts only live buckets", async () => {
    const live = await db.prisma.bucket.count({ where: { goneAt: null, name: { contains: "acme" } } });
    expect(live).toBeGreaterThan(SEARCH_LIMITS.buckets);
    const r = await search(lead, "acme");
    expect(group(r, "buckets")).toHaveLength(SEARCH_LIMITS.buckets);
    expect(group(r, "accounts").length).toBeLessThanOrEqual(SEARCH_LIMITS.accounts);
  });

  it("finds accounts by name or id and tag values by part of the value", async () => {
    const account = await db.prisma.account.findFirstOrThrow({ where: { name: "acme-prod-payments" } });
    expect(group(await search(lead, account.id.slice(2, 9)), "accounts").map((h) => h.label)).toContain(account.name);
    const byName = group(await search(lead, "prod-paym"), "accounts");
    expect(byName).toContainEqual({
      label: account.name,
      detail: account.id,
      href: `/buckets?account=${account.id}`,
    });

    const tags = group(await search(lead, "payments-te"), "tags");
    const owner = tags.find((t) => t.label === "payments-team");
    expect(owner?.href).toBe("/buckets?tag=Owner%3Dpayments-team");
    const tagged = await db.prisma.bucket.count({
      where: { goneAt: null, tags: { path: ["Owner"], equals: "payments-team" } },
    });
    expect(owner?.detail).toBe(`Owner · ${tagged} bucket${tagged === 1 ? "" : "s"}`);
  });

  it("finds Macie finding types for a role that may read findings, and not for one that may not", async () => {
    const forLead = group(await search(lead, "S3Object/Pers"), "findingTypes");
    expect(forLead.map((h) => h.label)).toContain("SensitiveData:S3Object/Personal");
    expect(forLead.find((h) => h.label === "SensitiveData:S3Object/Personal")?.href).toBe(
      "/findings?type=SensitiveData%3AS3Object%2FPersonal",
    );
    const forManager = await search(manager, "S3Object/Pers");
    expect(forManager.groups.map((g) => g.key)).not.toContain("findingTypes");
    // The manager still finds buckets: bucket names are theirs to read.
    expect(group(await search(manager, "marketing-public"), "buckets")).not.toHaveLength(0);
  });

  it("takes LIKE's wildcards literally", async () => {
    // Every demo name has "acme-"; "acme_" with "_" as a wildcard would match them all.
    expect((await search(lead, "acme_")).groups).toEqual([]);
    expect((await search(lead, "%%")).groups).toEqual([]);
    expect((await search(lead, "a\\c")).groups).toEqual([]);
  });

  it("refuses a caller who is not signed in", async () => {
    await expect(search(null, "acme")).rejects.toMatchObject({ code: "unauthenticated" });
  });
});

describe("the evidence form's accounts", () => {
  it("come as the first page by name and a total; the rest are found by the accounts' search", async () => {
    const extra = Array.from({ length: ACCOUNT_OPTIONS_LIMIT + 5 }, (_, i) => ({
      id: String(900_000_000_100 + i),
      name: `zz-evidence-${String(i).padStart(2, "0")}`,
      roleArn: `arn:aws:iam::${900_000_000_100 + i}:role/CustodyReadOnly`,
      externalId: "x",
    }));
    await db.prisma.account.createMany({ data: extra });
    try {
      const all = await db.prisma.account.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
      const options = await evidenceOptions(auditor);
      expect(options.accounts.total).toBe(all.length);
      expect(options.accounts.more).toBe(true);
      expect(options.accounts.first).toEqual(
        all.slice(0, ACCOUNT_OPTIONS_LIMIT).map((a) => ({ id: a.id, name: a.name })),
      );
      // What the form asks as the auditor types (GET /api/account-options, as this auditor).
      const typed = await searchAccountOptions(auditor, { q: "zz-evidence" });
      expect(typed.accounts.map((a) => a.name)).toEqual(extra.slice(0, ACCOUNT_OPTIONS_LIMIT).map((a) => a.name));
      expect(typed.more).toBe(true);
      expect(await searchAccountOptions(auditor, { q: "zz-evidence-2" })).toEqual({
        accounts: extra.slice(20, 25).map((a) => ({ id: a.id, name: a.name })),
        more: false,
      });
      await expect(evidenceOptions(manager)).rejects.toMatchObject({ code: "forbidden" });
    } finally {
      await db.prisma.account.deleteMany({ where: { id: { in: extra.map((a) => a.id) } } });
    }
  });
});

describe("SearchQuerySchema", () => {
  it("asks for 2–100 characters without control characters", () => {
    expect(SearchQuerySchema.safeParse({ q: "a" }).error?.issues[0]?.message).toBe(
      "type at least 2 characters to search",
    );
    expect(SearchQuerySchema.safeParse({ q: "x".repeat(101) }).error?.issues[0]?.message).toBe(
      "search text is limited to 100 characters",
    );
    expect(SearchQuerySchema.safeParse({ q: "ab\u0000" }).success).toBe(false);
    expect(SearchQuerySchema.parse({ q: "  acme  " })).toEqual({ q: "acme" });
  });
});
