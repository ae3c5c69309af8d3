/**
 * The security lead's and manager's views against real Postgres with the demo organisation: every overview number
 * equals the count of the bucket list behind it and the number of rows its export streams; coverage groups agree
 * with their drill-down lists; filters mean what they say (checked against independent Prisma queries).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SPECIAL_BUCKETS, DEMO_UNASSUMABLE_ACCOUNT_NAME } from "@/lib/sources/fixture/estate";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import {
  BUCKET_SORTS,
  BucketQuerySchema,
  bucketQueryParams,
  encodeBucketCursor,
  type BucketFilters,
} from "@/lib/schemas/bucket-query";
import { CoverageQuerySchema } from "@/lib/schemas/coverage-query";
import { FindingQuerySchema } from "@/lib/schemas/finding-query";
import { analyzeBucketAccess } from "@/lib/server/dal/bucket-access";
import { bucketExportRows, type BucketExportRow } from "@/lib/export/bucket-export";
import {
  bucketCountSql,
  bucketExportView,
  bucketWhere,
  countBuckets,
  countPrefersTrigramIndex,
  getBucket,
  listBuckets,
  startBucketExport,
} from "@/lib/server/dal/buckets";
import { getCoverage, getCoverageTrend } from "@/lib/server/dal/coverage";
import { listAccounts } from "@/lib/server/dal/accounts";
import { countFindings, listFindings } from "@/lib/server/dal/findings";
import { AccountListQuerySchema } from "@/lib/schemas/account-list-query";
import { getPostureOverview, STALE_ACCOUNTS_SHOWN } from "@/lib/server/dal/posture";
import type { Actor } from "@/lib/server/permissions";
import { evaluateBuckets } from "@/lib/evaluation/evaluate-buckets";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let lead: Actor;
let manager: Actor;

/** A view as the bucket list would parse it from its URL (so the test goes through the query schema too). */
const asQuery = (view: BucketFilters, extra: Record<string, string> = {}) =>
  BucketQuerySchema.parse({ ...bucketQueryParams(view), pageSize: "100", ...extra });

async function listAll(view: BucketFilters) {
  const names: string[] = [];
  for (let page = 1; ; page++) {
    const list = await listBuckets(lead, asQuery(view, { page: String(page) }));
    names.push(...list.rows.map((r) => r.name));
    if (page >= list.pages) return { total: list.total, names };
  }
}

async function exportAll(view: BucketFilters, extra: Record<string, string> = {}) {
  const { total, rows } = await startBucketExport(lead, asQuery(view, extra), "json", { ip: null });
  const names: string[] = [];
  for await (const r of rows) names.push(r.name as string);
  return { total, names };
}

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("views");
  await loadDemoOrganisation(db.prisma, { historyDays: 5 });
  // The DAL's db() reads DATABASE_URL once per process: point it at this file's scratch database.
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const user = (role: string) => users.find((u) => u.role === role)!;
  lead = { ...user("security_lead"), role: "security-lead" };
  manager = { ...user("manager"), role: "manager" };
});
afterAll(async () => {
  const shared = (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb;
  await shared?.$disconnect();
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  await db.drop();
});

describe("overview", () => {
  it("every counter equals its list's count and its export's rows", async () => {
    const posture = await getPostureOverview(lead);
    expect(posture.counters.length).toBeGreaterThan(8);
    for (const c of posture.counters) {
      const list = await listAll(c.view);
      const exported = await exportAll(c.view);
      expect({ key: c.key, list: list.total, rows: list.names.length }).toEqual({
        key: c.key,
        list: c.count,
        rows: c.count,
      });
      expect({ key: c.key, exported: exported.names.length }).toEqual({ key: c.key, exported: c.count });
      expect(new Set(exported.names)).toEqual(new Set(list.names));
    }
  });

  it("counts what the columns say, checked independently of the where-builder", async () => {
    const posture = await getPostureOverview(lead);
    const count = (key: string) => posture.counters.find((c) => c.key === key)!.count;
    const live = { goneAt: null };
    expect(count("in-scope")).toBe(await db.prisma.bucket.count({ where: live }));
    expect(count("public")).toBe(await db.prisma.bucket.count({ where: { ...live, exposure: "public" } }));
    expect(count("public")).toBeGreaterThan(0);
    expect(count("failing")).toBe(await db.prisma.bucket.count({ where: { ...live, failingRequired: { gt: 0 } } }));
    expect(count("failing-high")).toBe(
      await db.prisma.bucket.count({ where: { ...live, failingRequired: { gt: 0 }, levelKey: "high" } }),
    );
    expect(count("unknown")).toBe(await db.prisma.bucket.count({ where: { ...live, unknownRequired: { gt: 0 } } }));
    expect(count("macie-high")).toBe(
      await db.prisma.bucket.count({ where: { ...live, macieMaxSeverity: { gte: 3 } } }),
    );
    const mismatch = await db.prisma.controlResult.count({
      where: { controlId: "sensitive-data-matches-level", observed: "fail", bucket: live },
    });
    expect(count("data-outranks-level")).toBe(mismatch);
    expect(mismatch).toBeGreaterThan(0);
    const outranking = await listAll({ control: "sensitive-data-matches-level", observed: "fail" });
    expect(outranking.names).toContain(DEMO_SPECIAL_BUCKETS.lowWithPersonalData);
    expect(posture.highSeverityFindings.count).toBe(
      await db.prisma.macieFinding.count({ where: { severityScore: 3, archived: false } }),
    );
    expect(posture.staleAccounts.map((a) => a.name)).toContain("acme-legacy-apps");
    // Counted whole, named up to STALE_ACCOUNTS_SHOWN: a week later every account is stale, and all are counted.
    expect(posture.staleAccountCount).toBe(posture.staleAccounts.length);
    const weekLater = await getPostureOverview(lead, new Date(Date.now() + 7 * 24 * 3600_000));
    const enabled = await db.prisma.account.count({ where: { enabled: true } });
    expect(weekLater.staleAccountCount).toBe(enabled);
    expect(weekLater.staleAccounts.length).toBe(Math.min(enabled, STALE_ACCOUNTS_SHOWN));
  });

  it("ranks failing controls with counts that match their lists", async () => {
    const posture = await getPostureOverview(lead);
    expect(posture.failingControls.length).toBeGreaterThan(0);
    const counts = posture.failingControls.map((c) => c.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const c of posture.failingControls) expect(await countBuckets(lead, c.view)).toBe(c.count);
  });

  it("explains the riskiest buckets with their stored risk terms, which sum to the score", async () => {
    const posture = await getPostureOverview(lead);
    for (const b of posture.riskiest) {
      expect(b.topReason).not.toBeNull();
      const detail = await getBucket(lead, b.id);
      const sum = detail.riskTerms!.reduce((n, t) => n + t.points, 0);
      expect(Math.min(100, sum)).toBe(b.riskScore);
    }
  });

  it("is not for managers", async () => {
    await expect(getPostureOverview(manager)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("bucket list filters and export", () => {
  it("filters by OU, tag, owner, control status, Config disagreement and Macie severity", async () => {
    const account = await db.prisma.account.findFirstOrThrow({
      where: { buckets: { some: {} } },
      select: { ouPath: true },
    });
    const inOu = await db.prisma.bucket.count({ where: { goneAt: null, account: { ouPath: account.ouPath } } });
    expect(await countBuckets(lead, { ou: account.ouPath })).toBe(inOu);

    const tagged = await db.prisma.bucket.findFirstOrThrow({
      where: { ownerTag: { not: null } },
      select: { ownerTag: true },
    });
    const byOwner = await db.prisma.bucket.count({ where: { goneAt: null, ownerTag: tagged.ownerTag } });
    expect(await countBuckets(lead, { owner: tagged.ownerTag! })).toBe(byOwner);
    expect(await countBuckets(lead, { unowned: true })).toBe(
      await db.prisma.bucket.count({ where: { goneAt: null, ownerTag: null } }),
    );
    // The owner comes from the Owner tag (the default ownerTagKey): tag=Owner=<value> selects the same buckets.
    expect(await countBuckets(lead, asQuery({}, { tag: `Owner=${tagged.ownerTag}` }))).toBe(byOwner);
    const withTagKey = await db.prisma.bucket.count({
      where: { goneAt: null, tags: { path: ["DataClassification"], not: "__never__" } },
    });
    expect(await countBuckets(lead, asQuery({}, { tag: "DataClassification" }))).toBe(withTagKey);

    const https = await db.prisma.controlResult.count({
      where: { controlId: "https-only", status: "fail", bucket: { goneAt: null } },
    });
    expect(await countBuckets(lead, asQuery({}, { control: "https-only", status: "fail" }))).toBe(https);
    expect(await countBuckets(lead, asQuery({}, { config: "disagree" }))).toBe(
      await db.prisma.bucket.count({ where: { goneAt: null, configDisagreements: { gt: 0 } } }),
    );
    expect(await countBuckets(lead, asQuery({}, { macie: "medium" }))).toBe(
      await db.prisma.bucket.count({ where: { goneAt: null, macieMaxSeverity: { gte: 2 } } }),
    );
  });

  it("counts a control filter alone from the results, leaving out gone buckets, and agrees with the list", async () => {
    const views: BucketFilters[] = [
      { control: "https-only" },
      { control: "encryption-at-rest", status: "pass" },
      { control: "sensitive-data-matches-level", observed: "fail" },
      { control: "https-only", status: "fail", observed: "fail" },
    ];
    const independent = (v: BucketFilters) =>
      db.prisma.controlResult.count({
        where: {
          controlId: v.control,
          bucket: { goneAt: null },
          ...(v.status || !v.observed ? { status: v.status ?? "fail" } : {}),
          ...(v.observed ? { observed: v.observed } : {}),
        },
      });
    // The shortcut applies to these views, and not once another filter joins them.
    for (const v of views) expect(bucketCountSql(v).text).toContain("gone_at IS NOT NULL");
    expect(bucketCountSql({ control: "https-only", region: "eu-west-1" }).text).not.toContain("gone_at IS NOT NULL");
    const failing = await db.prisma.controlResult.findFirstOrThrow({
      where: { controlId: "https-only", status: "fail", bucket: { goneAt: null } },
      select: { bucketId: true },
    });
    const before = await independent(views[0]!);
    await db.prisma.bucket.update({ where: { id: failing.bucketId }, data: { goneAt: new Date() } });
    try {
      for (const v of views) {
        const expected = await independent(v);
        expect(await countBuckets(lead, v)).toBe(expected);
        expect((await listBuckets(lead, asQuery(v))).total).toBe(expected);
      }
      expect(await countBuckets(lead, views[0]!)).toBe(before - 1);
    } finally {
      await db.prisma.bucket.update({ where: { id: failing.bucketId }, data: { goneAt: null } });
    }
  });

  it("searches names case-insensitively, as literal text, through the trigram index", async () => {
    const sample = await db.prisma.bucket.findFirstOrThrow({
      where: { goneAt: null, name: { contains: "-" } },
      orderBy: { id: "asc" },
      select: { name: true },
    });
    const part = sample.name.slice(1, 8);
    const expected = await db.prisma.bucket.count({
      where: { goneAt: null, name: { contains: part, mode: "insensitive" } },
    });
    expect(expected).toBeGreaterThan(0);
    expect(await countBuckets(lead, asQuery({}, { q: part }))).toBe(expected);
    expect(await countBuckets(lead, asQuery({}, { q: part.toUpperCase() }))).toBe(expected);
    // % and _ are text, not wildcards.
    expect(await countBuckets(lead, asQuery({}, { q: "%" }))).toBe(0);
    expect(await countBuckets(lead, asQuery({}, { q: sample.name.replace(/-/g, "_") }))).toBe(
      sample.name.includes("-") ? 0 : 1,
    );
    // Counts of a search with a trigram are planned without index-only scans (so the trigram index is used), and
    // still count exactly what the list shows (the assertions above went through that path).
    expect(countPrefersTrigramIndex(asQuery({}, { q: part }))).toBe(/[a-z0-9]{3}/.test(part));
    expect(countPrefersTrigramIndex(asQuery({}, { q: "a-b" }))).toBe(false);
    expect(countPrefersTrigramIndex(asQuery({}, { q: "logs", control: "https-only" }))).toBe(false);
    expect((await listBuckets(lead, asQuery({}, { q: part }))).total).toBe(expected);
    // The trigram index serves the search only if it is built in the collation the search compares in ("C"); the
    // read benchmark shows the plan using it at 100,000 buckets (a table this small is read without it).
    const [index] = await db.prisma.$queryRaw<
      { indexdef: string }[]
    >`SELECT indexdef FROM pg_indexes WHERE indexname = 'bucket_search_name_trgm_idx'`;
    expect(index?.indexdef).toMatch(/ON public\.bucket_search USING gin \(name COLLATE "C" gin_trgm_ops\)/);
    expect(bucketWhere(asQuery({}, { q: "x" })).text).toMatch(/bs\.name ILIKE \$\d+ COLLATE "C"/);
  });

  it("rejects unreadable filters with clear messages", () => {
    const r = BucketQuerySchema.safeParse({
      control: "nope",
      status: "bad",
      macie: "extreme",
      tag: "=x",
      failing: "yes",
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message).join(" | ");
    expect(messages).toMatch(/control must be one of/);
    expect(messages).toMatch(/status must be one of/);
    expect(messages).toMatch(/macie must be low, medium or high/);
    expect(messages).toMatch(/tag must be a tag key/);
    expect(messages).toMatch(/failing must be 1/);
    expect(BucketQuerySchema.safeParse({ status: "fail" }).error?.issues[0]?.message).toMatch(/status needs a control/);
  });

  it("exports public High buckets in the list's order, by keyset pages, and audits the export", async () => {
    const view: BucketFilters = { exposure: "public" };
    const list = await listAll(view);
    const exported = await exportAll(view);
    expect(exported.names).toEqual(list.names);
    // Keyset paging across many pages (sorted by name) returns every bucket exactly once, in order.
    const all = await listAll({});
    const { rows } = await startBucketExport(lead, asQuery({}, { sort: "name", dir: "desc" }), "csv", {
      ip: "10.1.2.3",
    });
    const byName: string[] = [];
    for await (const r of rows) byName.push(r.name as string);
    expect(byName).toEqual([...all.names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "export.buckets", ip: "10.1.2.3" } });
    expect(audit.actorEmail).toBe(lead.email);
    expect(audit.detail).toMatchObject({ format: "csv", sort: "name", dir: "desc", rows: all.total });
  });

  it("pages by keyset cursors (Next / Previous) exactly as by page number, for every sort and direction", async () => {
    for (const sort of BUCKET_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        const byNumber: number[][] = [];
        const first = await listBuckets(lead, asQuery({}, { sort, dir, pageSize: "25" }));
        for (let page = 1; page <= first.pages; page++) {
          byNumber.push(
            (await listBuckets(lead, asQuery({}, { sort, dir, pageSize: "25", page: String(page) }))).rows.map(
              (r) => r.id,
            ),
          );
        }
        const byCursor: number[][] = [first.rows.map((r) => r.id)];
        let list = first;
        while (list.page < list.pages) {
          list = await listBuckets(
            lead,
            asQuery({}, { sort, dir, pageSize: "25", page: String(list.page + 1), after: list.nextCursor! }),
          );
          byCursor.push(list.rows.map((r) => r.id));
        }
        expect(byCursor, `${sort} ${dir}`).toEqual(byNumber);
        expect(new Set(byCursor.flat()).size).toBe(first.total);
        if (byNumber.length >= 3) {
          // Previous from the last page (cursor = its first row) is the page before it.
          const back = await listBuckets(
            lead,
            asQuery({}, { sort, dir, pageSize: "25", page: String(list.page - 1), before: list.prevCursor! }),
          );
          expect(
            back.rows.map((r) => r.id),
            `${sort} ${dir} previous`,
          ).toEqual(byNumber[byNumber.length - 2]);
        }
      }
    }
    expect(BucketQuerySchema.safeParse({ after: "not-a-cursor" }).error?.issues[0]?.message).toMatch(
      /not a valid page cursor/,
    );
    expect(BucketQuerySchema.safeParse({ sort: "name", after: encodeBucketCursor({ key: 42, id: 1 }) }).success).toBe(
      false,
    );
  });

  it("the CLI export (npm run buckets:export) is the same query: the app's rows and order, plus controls and settings", async () => {
    const view: BucketFilters = { failing: true };
    let cli: BucketExportRow[] = [];
    for (const sort of ["name", "lastSeen", "risk"] as const) {
      const app: BucketExportRow[] = [];
      for await (const r of (await startBucketExport(lead, asQuery(view, { sort }), "json", { ip: null })).rows)
        app.push(r);
      cli = [];
      // Small pages, so keyset cursors (a timestamp one for lastSeen) and the per-page control query run many times.
      const rows = bucketExportRows(db.prisma, bucketExportView(view, { sort }), {
        perControl: true,
        settings: true,
        batch: 7,
      });
      for await (const r of rows) cli.push(r);
      expect(app.length).toBeGreaterThan(7);
      // The app's export carries every control's result too (issue 14): the same rows as the CLI's, less the settings.
      expect(
        cli.map(({ settings: _s, ...rest }) => rest),
        sort,
      ).toEqual(app);
      // …in the list's order, every bucket once.
      const listed: number[] = [];
      for (let page = 1; ; page++) {
        const list = await listBuckets(lead, asQuery(view, { sort, page: String(page) }));
        listed.push(...list.rows.map((r) => r.id));
        if (page >= list.pages) break;
      }
      expect(
        cli.map((r) => r.id),
        sort,
      ).toEqual(listed);
    }
    const results = await db.prisma.controlResult.findMany({
      select: {
        bucketId: true,
        controlId: true,
        required: true,
        status: true,
        observed: true,
        configVerdict: true,
        configCompliance: true,
      },
    });
    const states = await db.prisma.bucket.findMany({
      select: { id: true, currentState: { select: { settings: true } } },
    });
    for (const r of cli) {
      const mine = results.filter((c) => c.bucketId === r.id);
      expect(mine.length).toBeGreaterThan(0);
      expect(r.controls).toEqual(Object.fromEntries(mine.map((c) => [c.controlId, c.status])));
      expect(r.configVerdicts).toEqual(
        Object.fromEntries(mine.filter((c) => c.configVerdict).map((c) => [c.controlId, c.configVerdict])),
      );
      expect(r.settings).toEqual(states.find((b) => b.id === r.id)!.currentState!.settings);
      expect(r.controlResults).toEqual(
        Object.fromEntries(
          mine.map((c) => [
            c.controlId,
            {
              required: c.required,
              status: c.status,
              observed: c.observed,
              configVerdict: c.configVerdict,
              configCompliance: c.configCompliance,
            },
          ]),
        ),
      );
    }
  });

  it("exports count Macie's sensitive-data and policy findings separately, and carry the account's Block Public Access", async () => {
    const counts = await db.prisma.$queryRaw<
      { account_id: string; bucket_name: string; category: string; n: number }[]
    >`
      SELECT account_id, bucket_name, category, COUNT(*)::int AS n FROM macie_finding WHERE NOT archived GROUP BY 1, 2, 3`;
    const policy = counts.filter((c) => c.category === "POLICY");
    expect(policy.length).toBeGreaterThan(0); // the demo has policy findings
    const rows: BucketExportRow[] = [];
    for await (const r of (await startBucketExport(lead, asQuery({}, {}), "json", { ip: null })).rows) rows.push(r);
    const n = (r: BucketExportRow, category: string) =>
      counts.find((c) => c.account_id === r.accountId && c.bucket_name === r.name && c.category === category)?.n ?? 0;
    for (const r of rows) {
      expect([r.name, r.macieFindings, r.maciePolicyFindings]).toEqual([
        r.name,
        n(r, "CLASSIFICATION"),
        n(r, "POLICY"),
      ]);
      expect(r.accountBlockPublicAccess).toMatch(/^(all-on|none|partial: .+|unknown: .+)$/);
    }
  });

  it("sorts by sensitivity (level rank) and by the time each bucket's account was last read", async () => {
    const levels = await db.prisma.classificationLevel.findMany({
      select: { key: true, rank: true, schemeVersion: true },
    });
    const latest = Math.max(...levels.map((l) => l.schemeVersion));
    const rank = new Map(levels.filter((l) => l.schemeVersion === latest).map((l) => [l.key, l.rank]));
    const byLevel = await listBuckets(lead, asQuery({}, { sort: "level" }));
    const ranks = byLevel.rows.map((r) => rank.get(r.levelKey!) ?? -1);
    expect(ranks[0]).toBe(Math.max(...rank.values())); // most sensitive first by default, not "high" < "low" < "medium"
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));

    // Make account read times differ, then the list follows them (oldest first), buckets of one account together.
    const accounts = await db.prisma.account.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    for (const [i, a] of accounts.entries()) {
      await db.prisma.account.update({
        where: { id: a.id },
        data: { lastSuccessAt: new Date(Date.UTC(2026, 0, 1 + ((i * 7) % accounts.length))) },
      });
    }
    const all: { accountId: string; lastReadAt: Date }[] = [];
    for (let page = 1; ; page++) {
      const list = await listBuckets(lead, asQuery({}, { sort: "lastSeen", page: String(page) }));
      all.push(...list.rows);
      if (page >= list.pages) break;
    }
    const times = all.map((r) => new Date(r.lastReadAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(all.length).toBe(await countBuckets(lead, {}));
  });

  it("refuses the export to managers", async () => {
    await expect(startBucketExport(manager, asQuery({}), "csv", { ip: null })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("bucket access analysis", () => {
  const bucketNamed = (name: string) => db.prisma.bucket.findFirstOrThrow({ where: { name }, select: { id: true } });

  it("shows who can read the public bucket and the cross-account partner", async () => {
    const pub = await getBucket(lead, (await bucketNamed(DEMO_SPECIAL_BUCKETS.publicRead)).id);
    const pubAccess = await analyzeBucketAccess(lead, pub);
    expect(pubAccess.policy.status).toBe("analysed");
    if (pubAccess.policy.status === "analysed")
      expect(pubAccess.policy.analysis.readers.some((g) => g.public && g.kind === "everyone")).toBe(true);

    const partner = await getBucket(lead, (await bucketNamed(DEMO_SPECIAL_BUCKETS.crossAccountRead)).id);
    const partnerAccess = await analyzeBucketAccess(lead, partner);
    if (partnerAccess.policy.status !== "analysed") throw new Error("expected an analysed policy");
    expect(partnerAccess.policy.analysis.readers.some((g) => g.accountId === "444455556666")).toBe(true);
    expect(
      partnerAccess.policy.analysis.crossAccountPrincipals.find((p) => p.accountId === "444455556666")?.trusted,
    ).toBe(false);

    const denied = await getBucket(lead, (await bucketNamed(DEMO_SPECIAL_BUCKETS.policyReadDenied)).id);
    const deniedAccess = await analyzeBucketAccess(lead, denied);
    expect(deniedAccess.policy).toMatchObject({ status: "unknown", reason: expect.stringMatching(/AccessDenied/) });
  });
});

describe("coverage", () => {
  it("an account whose sync failed stays in coverage by account, with its failure, and the scope says what is missing", async () => {
    const legacy = await db.prisma.account.findFirstOrThrow({
      where: { name: DEMO_UNASSUMABLE_ACCOUNT_NAME },
      select: { id: true, lastSyncStatus: true },
    });
    expect(legacy.lastSyncStatus).toBe("failed");
    const coverage = await getCoverage(manager, CoverageQuerySchema.parse({ by: "account" }));
    const row = coverage.groups.find((g) => g.key === legacy.id);
    expect(row).toMatchObject({
      buckets: 0,
      label: DEMO_UNASSUMABLE_ACCOUNT_NAME,
      readProblem: { status: "failed", error: expect.stringContaining("could not assume") },
    });
    expect(coverage.incomplete.map((a) => a.id)).toContain(legacy.id);
    // Every grouping names it, and a scope of another account does not.
    for (const by of ["ou", "owner"] as const) {
      expect((await getCoverage(manager, CoverageQuerySchema.parse({ by }))).incomplete.map((a) => a.id)).toContain(
        legacy.id,
      );
    }
    const other = coverage.groups.find((g) => g.key !== legacy.id && g.buckets > 0)!;
    expect(
      (await getCoverage(manager, CoverageQuerySchema.parse({ by: "account", account: other.key! }))).incomplete,
    ).toEqual([]);
  });

  it("groups agree with their drill-down lists and add up to the scope", async () => {
    for (const by of ["account", "ou", "owner"] as const) {
      const coverage = await getCoverage(manager, CoverageQuerySchema.parse({ by }));
      expect(coverage.total.buckets).toBe(await db.prisma.bucket.count({ where: { goneAt: null } }));
      for (const g of coverage.groups) {
        if (by === "ou" && !g.key) continue;
        expect(await countBuckets(manager, g.view)).toBe(g.buckets);
        expect(await countBuckets(manager, { ...g.view, source: "fallback" })).toBe(g.buckets - g.classified);
        expect(await countBuckets(manager, { ...g.view, compliant: "yes" })).toBe(g.compliant);
        expect(await countBuckets(manager, { ...g.view, waived: true })).toBe(g.waived);
        for (const [level, n] of Object.entries(g.failingByLevel))
          expect(await countBuckets(manager, { ...g.view, level, failing: true })).toBe(n);
      }
    }
  });

  it("reads one page of groups at a time, largest first, and still counts them all", async () => {
    for (const by of ["account", "ou", "owner"] as const) {
      const all = await getCoverage(manager, CoverageQuerySchema.parse({ by }), { pageSize: 10_000 });
      expect(all.groups.length).toBeGreaterThan(2);
      expect(all.groupCount).toBe(all.groups.length);
      expect(all.pages).toBe(1);
      const sizes = all.groups.map((g) => g.buckets);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      expect(all.total.buckets).toBe(sizes.reduce((n, s) => n + s, 0));
      // Pages of 2: together, exactly the groups in the same order; each counts every group and the whole scope.
      const pageSize = 2;
      const pages = Math.ceil(all.groups.length / pageSize);
      const paged = [];
      for (let page = 1; page <= pages; page++) {
        const one = await getCoverage(manager, CoverageQuerySchema.parse({ by, page: String(page) }), { pageSize });
        expect(one).toMatchObject({ groupCount: all.groups.length, pages, page, total: all.total });
        expect(one.groups.length).toBeLessThanOrEqual(pageSize);
        paged.push(...one.groups);
      }
      expect(paged).toEqual(all.groups);
      // Past the end: no group, the counts still there.
      const past = await getCoverage(manager, CoverageQuerySchema.parse({ by, page: String(pages + 1) }), { pageSize });
      expect(past).toMatchObject({ groups: [], groupCount: all.groups.length, pages, total: all.total });
    }
  });

  it("limits the groups to an OU scope and reads that OU's trend from the daily aggregates", async () => {
    const ou = (
      await db.prisma.account.findFirstOrThrow({ where: { buckets: { some: {} } }, select: { ouPath: true } })
    ).ouPath;
    const query = CoverageQuerySchema.parse({ ou, by: "account" });
    const coverage = await getCoverage(manager, query);
    expect(coverage.total.buckets).toBe(await countBuckets(manager, { ou }));
    const trend = await getCoverageTrend(manager, query);
    expect(trend.points).toHaveLength(5);
    const today = trend.points.at(-1)!;
    expect(today[`classified:*`]).toBe(Math.round((1000 * coverage.total.classified) / coverage.total.buckets) / 10);
    expect(today[`compliant:*`]).toBe(Math.round((1000 * coverage.total.compliant) / coverage.total.buckets) / 10);
  });

  it("takes the owner from the tag named by the ownerTagKey setting", async () => {
    await db.prisma.appSetting.upsert({
      where: { key: "ownerTagKey" },
      create: { key: "ownerTagKey", value: "dataclassification" },
      update: { value: "dataclassification" },
    });
    try {
      await evaluateBuckets(db.prisma);
      const b = await db.prisma.bucket.findFirstOrThrow({
        where: { name: DEMO_SPECIAL_BUCKETS.compliantHigh },
        select: { ownerTag: true, tags: true },
      });
      expect(b.ownerTag).toBe((b.tags as Record<string, string>).DataClassification);
    } finally {
      await db.prisma.appSetting.delete({ where: { key: "ownerTagKey" } });
      await evaluateBuckets(db.prisma);
    }
  });
});

describe("findings", () => {
  it("filters in Postgres and links each finding to its bucket in the same query", async () => {
    const high = FindingQuerySchema.parse({ severity: "High", pageSize: "100" });
    const list = await listFindings(lead, high);
    expect(list.total).toBe(await countFindings(lead, { severity: "High" }));
    expect(list.total).toBe(await db.prisma.macieFinding.count({ where: { severity: "High", archived: false } }));
    for (const f of list.rows) {
      expect(f.severity).toBe("High");
      if (f.bucketId !== null) {
        const b = await db.prisma.bucket.findUniqueOrThrow({
          where: { id: f.bucketId },
          select: { name: true, accountId: true },
        });
        expect(b).toEqual({ name: f.bucketName, accountId: f.accountId });
      }
    }
    expect(list.rows.some((f) => f.bucketId !== null)).toBe(true);
    const one = await listFindings(
      lead,
      FindingQuerySchema.parse({ bucket: DEMO_SPECIAL_BUCKETS.lowWithPersonalData }),
    );
    expect(one.rows.map((f) => f.type)).toContain("SensitiveData:S3Object/Personal");
    await expect(listFindings(manager, high)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("lists linked accounts a page at a time, searched by name or id and by the latest sync's outcome", async () => {
    const enabled = await db.prisma.account.findMany({
      where: { enabled: true },
      orderBy: [{ ouPath: "asc" }, { name: "asc" }, { id: "asc" }],
      select: { id: true, name: true, lastSyncStatus: true },
    });
    expect(enabled.length).toBeGreaterThan(3);
    const all = await listAccounts(lead, AccountListQuerySchema.parse({}));
    expect(all.total).toBe(enabled.length);
    expect(all.accounts.map((a) => a.id)).toEqual(enabled.map((a) => a.id));
    for (const a of all.accounts) expect(a.buckets).toBe(await countBuckets(lead, { account: a.id }));
    // Pages of 3: together, the whole list in order; each counts every account.
    const paged: string[] = [];
    for (let page = 1; page <= Math.ceil(enabled.length / 3); page++) {
      const one = await listAccounts(lead, AccountListQuerySchema.parse({ page: String(page) }), { pageSize: 3 });
      expect(one.total).toBe(enabled.length);
      paged.push(...one.accounts.map((a) => a.id));
    }
    expect(paged).toEqual(enabled.map((a) => a.id));
    const past = await listAccounts(lead, AccountListQuerySchema.parse({ page: "99" }), { pageSize: 3 });
    expect(past).toMatchObject({ accounts: [], total: enabled.length });
    // Search: part of a name, any case, or of an id; LIKE's wildcards are taken literally.
    const target = enabled[1]!;
    const fragment = target.name.slice(1, 6).toUpperCase();
    const byName = await listAccounts(lead, AccountListQuerySchema.parse({ q: fragment }));
    expect(byName.accounts.map((a) => a.id)).toEqual(
      enabled.filter((a) => a.name.toUpperCase().includes(fragment)).map((a) => a.id),
    );
    expect(byName.accounts.map((a) => a.id)).toContain(target.id);
    const byId = await listAccounts(lead, AccountListQuerySchema.parse({ q: target.id.slice(-5) }));
    expect(byId.accounts.map((a) => a.id)).toContain(target.id);
    expect((await listAccounts(lead, AccountListQuerySchema.parse({ q: "%" }))).total).toBe(0);
    expect((await listAccounts(lead, AccountListQuerySchema.parse({ q: "_" }))).total).toBe(
      enabled.filter((a) => a.name.includes("_")).length,
    );
    // The latest sync's outcome: the unassumable demo account is among the failed ones.
    const failed = await listAccounts(lead, AccountListQuerySchema.parse({ status: "failed" }));
    expect(failed.accounts.map((a) => a.id)).toEqual(
      enabled.filter((a) => a.lastSyncStatus === "failed").map((a) => a.id),
    );
    expect(failed.total).toBeGreaterThan(0);
    expect(() => AccountListQuerySchema.parse({ status: "green" })).toThrow(/status must be one of/);
    await expect(listAccounts(manager, AccountListQuerySchema.parse({}))).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("counts a bucket-name search only up to the limit, exactly on request or past the end", async () => {
    const fragment = "acme"; // most demo bucket names
    const exact = await countFindings(lead, { bucket: fragment });
    expect(exact).toBeGreaterThan(4);
    const limit = 3;
    const parse = (extra: Record<string, string> = {}) =>
      FindingQuerySchema.parse({ bucket: fragment, pageSize: "25", ...extra });
    const first = await listFindings(lead, parse(), { countLimit: limit });
    expect(first).toMatchObject({ total: limit, totalIsLowerBound: true });
    expect(first.rows.length).toBe(Math.min(25, exact));
    // count=all (the page's "Count them all") counts to the end.
    expect(await listFindings(lead, parse({ count: "all" }), { countLimit: limit })).toMatchObject({
      total: exact,
      totalIsLowerBound: false,
    });
    // Past the last page: the exact count, so the page can name the last one.
    const past = await listFindings(lead, parse({ page: "1000" }), { countLimit: limit });
    expect(past).toMatchObject({ total: exact, totalIsLowerBound: false, rows: [] });
    // Filters the counts table counts stay exact whatever the limit.
    expect(await listFindings(lead, FindingQuerySchema.parse({ severity: "High" }), { countLimit: 1 })).toMatchObject({
      total: await countFindings(lead, { severity: "High" }),
      totalIsLowerBound: false,
    });
    expect(() => FindingQuerySchema.parse({ count: "yes" })).toThrow(/count must be all/);
  });

  it("the bucket filter matches part of a name, LIKE's wildcards taken literally, or the whole name with match=exact", async () => {
    const all = await db.prisma.macieFinding.findMany({ where: { archived: false }, select: { bucketName: true } });
    const expected = (fragment: string) => all.filter((f) => f.bucketName.includes(fragment)).length;
    const named = async (params: Record<string, string>) =>
      listFindings(lead, FindingQuerySchema.parse({ pageSize: "100", ...params }));
    const fragment = "press-rel"; // of acme-web-press-releases
    const partial = await named({ bucket: fragment });
    expect(partial.total).toBe(expected(fragment));
    expect(partial.total).toBeGreaterThan(0);
    expect(partial.rows.map((f) => f.bucketName)).toContain(DEMO_SPECIAL_BUCKETS.lowWithPersonalData);
    expect(await countFindings(lead, { bucket: fragment })).toBe(partial.total);
    // "_" and "%" are LIKE wildcards: bucket names never contain them, so a literal search finds nothing.
    expect((await named({ bucket: "acme_web" })).total).toBe(0);
    expect((await named({ bucket: "%" })).total).toBe(0);
    expect((await named({ bucket: "press-releases", match: "exact" })).total).toBe(0);
    expect((await named({ bucket: DEMO_SPECIAL_BUCKETS.lowWithPersonalData, match: "exact" })).total).toBe(
      expected(DEMO_SPECIAL_BUCKETS.lowWithPersonalData),
    );
  });
});
