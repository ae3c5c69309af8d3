/**
 * No plan of the overview or of the bucket list may depend on work_mem to stay linear (issue 19). An
 * `IN (subquery)` that Postgres keeps as a SubPlan is hashed only while the subquery's rows fit in work_mem; past
 * that it is materialised and rescanned once per bucket row (at 1,000,000 buckets the overview never finished).
 * Here a generated estate of 24,000 buckets and 72,000 control results, planned with the smallest work_mem Postgres
 * accepts (64 kB), stands in for the large one: every statement of the overview counters and of the list (rows and
 * count, for every filter and sort the list offers) must be free of un-hashed SubPlans, and the numbers must still
 * be what an independent count says.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { BUCKET_SORTS, BucketQuerySchema, bucketQueryParams, type BucketFilters } from "@/lib/schemas/bucket-query";
import { LIST_COUNT_LIMIT, bucketListSql } from "@/lib/server/dal/buckets";
import { postureCounters, postureCountsSql } from "@/lib/server/dal/posture";
import { scratchDb } from "../support/scratch-db";

const ACCOUNTS = 24;
const BUCKETS_PER_ACCOUNT = 1000;
const LEVELS = [
  { key: "public", name: "Public" },
  { key: "confidential", name: "Confidential" },
];

let db: Awaited<ReturnType<typeof scratchDb>>;
let client: pg.Client;

beforeAll(async () => {
  db = await scratchDb("plans");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  // Even accounts sit in OU ou-a, odd ones in ou-b. Bucket i fails https-only unless i % 4 = 0 (75 %), passes
  // encryption-at-rest, and observes a data/level mismatch unless i % 3 = 0 (about two thirds); every 50th is gone.
  await client.query(`
    INSERT INTO account (id, name, ou_path, role_arn, external_id, updated_at)
    SELECT lpad(a::text, 12, '0'), 'account ' || a, CASE WHEN a % 2 = 0 THEN 'r-root/ou-a' ELSE 'r-root/ou-b' END,
           'arn:aws:iam::' || lpad(a::text, 12, '0') || ':role/custody', 'x', now()
      FROM generate_series(1, ${ACCOUNTS}) a;
    INSERT INTO bucket (arn, name, account_id, region, first_seen_sync_id, last_seen_sync_id, gone_at, owner_tag, tags,
                        level_key, level_rank, level_source, classified, exposure, outside_reach, risk_score,
                        failing_required, unknown_required, waived_required, compliant, macie_max_severity,
                        config_disagreements)
    SELECT 'arn:aws:s3:::bucket-' || i, 'bucket-' || i, lpad((1 + i % ${ACCOUNTS})::text, 12, '0'),
           (ARRAY['us-east-1', 'eu-west-1', 'ap-southeast-2'])[1 + i % 3], gen_random_uuid(), gen_random_uuid(),
           CASE WHEN i % 50 = 0 THEN now() END, CASE WHEN i % 5 <> 0 THEN 'team-' || i % 7 END,
           jsonb_build_object('Environment', CASE WHEN i % 2 = 0 THEN 'production' ELSE 'dev' END),
           (ARRAY['public', 'confidential'])[1 + i % 2], i % 2, CASE WHEN i % 3 = 0 THEN 'tag' ELSE 'fallback' END,
           i % 3 = 0, CASE WHEN i % 10 = 0 THEN 'public' ELSE 'not-public' END,
           CASE WHEN i % 11 = 0 THEN 'reachable' ELSE 'none' END, i % 100, (i % 4 <> 0)::int, (i % 9 = 0)::int,
           (i % 13 = 0)::int, i % 4 = 0, i % 4, (i % 17 = 0)::int
      FROM generate_series(1, ${ACCOUNTS * BUCKETS_PER_ACCOUNT}) i;
    INSERT INTO control_result (bucket_id, control_id, required, status, observed, reason, evidence, scheme_version,
                                evaluated_at)
    SELECT b.id, c.control_id, true,
           CASE c.control_id WHEN 'https-only' THEN CASE WHEN b.id % 4 = 0 THEN 'pass' ELSE 'fail' END
                             WHEN 'encryption-at-rest' THEN 'pass'
                             ELSE CASE WHEN b.id % 3 = 0 THEN 'pass' ELSE 'fail' END END,
           CASE c.control_id WHEN 'https-only' THEN CASE WHEN b.id % 4 = 0 THEN 'pass' ELSE 'fail' END
                             WHEN 'encryption-at-rest' THEN 'pass'
                             ELSE CASE WHEN b.id % 3 = 0 THEN 'pass' ELSE 'fail' END END,
           'generated', '{}'::jsonb, 1, now()
      FROM bucket b
     CROSS JOIN (VALUES ('https-only'), ('encryption-at-rest'), ('sensitive-data-matches-level')) c(control_id);
    ANALYZE account; ANALYZE bucket; ANALYZE control_result;`);
}, 60_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/**
 * Plans `sql` (or runs it, `explain` false) with work_mem at Postgres's minimum by default, as a large estate
 * would see it.
 */
async function withLowWorkMem<T>(sql: Prisma.Sql, explain: boolean, workMem = "64kB"): Promise<T[]> {
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL work_mem = '${workMem}'`);
    const { rows } = await client.query(`${explain ? "EXPLAIN (VERBOSE, FORMAT JSON) " : ""}${sql.text}`, sql.values);
    return rows as T[];
  } finally {
    await client.query("ROLLBACK");
  }
}

interface PlanNode {
  "Node Type": string;
  "Subplan Name"?: string;
  Plans?: PlanNode[];
}

/**
 * The SubPlans of a plan that are not hashed. Postgres 15 names every SubPlan node "SubPlan <n>" (its "Subplan
 * Name"), hashed or not; which one is hashed shows only where it is used: the expression that calls it reads
 * "(hashed SubPlan <n>)" instead of "(SubPlan <n>)" (Filter, or with VERBOSE the aggregate's Output). InitPlans run
 * once and are fine.
 */
async function unhashedSubPlans(sql: Prisma.Sql, workMem?: string): Promise<string[]> {
  const [row] = await withLowWorkMem<{ "QUERY PLAN": { Plan: PlanNode }[] }>(sql, true, workMem);
  const plan = row!["QUERY PLAN"][0]!.Plan;
  const expressions = JSON.stringify(plan);
  const found: string[] = [];
  const walk = (node: PlanNode) => {
    const name = node["Subplan Name"];
    if (name && /^SubPlan \d+$/.test(name) && !new RegExp(`hashed ${name}\\b`).test(expressions)) {
      found.push(`${name} (${node["Node Type"]})`);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan);
  return found;
}

/** Every filter the bucket list offers, one at a time, plus combinations that take other paths. */
const FILTERS: [string, BucketFilters][] = [
  ["no filter", {}],
  ["account", { account: "000000000003" }],
  ["region", { region: "eu-west-1" }],
  ["level", { level: "confidential" }],
  ["source", { source: "fallback" }],
  ["exposure", { exposure: "public" }],
  ["exposure outside", { exposure: "outside" }],
  ["q", { q: "bucket-12" }],
  ["ou", { ou: "r-root/ou-a" }],
  ["control (fail)", { control: "https-only" }],
  ["control pass", { control: "encryption-at-rest", status: "pass" }],
  ["control observed", { control: "sensitive-data-matches-level", observed: "fail" }],
  ["control + region", { control: "https-only", region: "us-east-1" }],
  ["control + ou", { control: "https-only", ou: "r-root/ou-b" }],
  ["config", { config: "disagree" }],
  ["macie", { macie: "high" }],
  ["tag key", { tag: { key: "Environment", value: undefined } }],
  ["tag key=value", { tag: { key: "Environment", value: "production" } }],
  ["owner", { owner: "team-3" }],
  ["unowned", { unowned: true }],
  ["failing", { failing: true }],
  ["unknown", { unknown: true }],
  ["waived", { waived: true }],
  ["compliant", { compliant: "yes" }],
];

describe("plans with work_mem at its minimum", () => {
  it("tells an un-hashed SubPlan from a hashed one (the shape the overview had)", async () => {
    const inFilter = Prisma.sql`SELECT COUNT(*) FILTER (WHERE b.id IN (SELECT cr.bucket_id FROM control_result cr
      WHERE cr.control_id = 'sensitive-data-matches-level' AND cr.observed = 'fail')) FROM bucket b`;
    expect(await unhashedSubPlans(inFilter)).toEqual([expect.stringMatching(/^SubPlan \d+/)]);
    expect(await unhashedSubPlans(inFilter, "4MB")).toEqual([]);
  });

  it("the overview counters have no un-hashed SubPlan, and count what an independent query counts", async () => {
    const counters = postureCounters(LEVELS);
    const sql = postureCountsSql(counters);
    expect(await unhashedSubPlans(sql)).toEqual([]);

    const [row] = await withLowWorkMem<Record<string, string>>(sql, false);
    const count = async (where: string) =>
      Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM bucket WHERE ${where}`)).rows[0]!.n);
    const expected: Record<string, number> = {
      "in-scope": await count("gone_at IS NULL"),
      failing: await count("gone_at IS NULL AND id % 4 <> 0"),
      "data-outranks-level": await count("gone_at IS NULL AND id % 3 <> 0"),
      public: await count("gone_at IS NULL AND id % 10 = 0"),
    };
    expect(expected["data-outranks-level"]).toBeGreaterThan(10_000); // far past what 64 kB can hash
    for (const [key, n] of Object.entries(expected)) {
      const i = counters.findIndex((c) => c.key === key);
      expect(i, key).toBeGreaterThanOrEqual(0);
      expect(Number(row![`c${i}`]), key).toBe(n);
    }
  });

  it.each(FILTERS)("the list filtered by %s: rows (every sort, first and deep page) and count", async (_, view) => {
    const offenders: string[] = [];
    for (const sort of BUCKET_SORTS) {
      for (const page of ["1", "40"]) {
        const query = BucketQuerySchema.parse({ ...bucketQueryParams(view), sort, page });
        const sql = bucketListSql(query);
        for (const s of await unhashedSubPlans(sql.rows)) offenders.push(`rows sort=${sort} page=${page}: ${s}`);
        if (sort === "risk" && page === "1") {
          for (const s of await unhashedSubPlans(sql.count)) offenders.push(`count: ${s}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the list's control filter and OU filter count what an independent query counts", async () => {
    const total = async (view: BucketFilters) => {
      const sql = bucketListSql(BucketQuerySchema.parse(bucketQueryParams(view))).count;
      return Number((await withLowWorkMem<{ n: string }>(sql, false))[0]!.n);
    };
    const count = async (where: string) =>
      Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM bucket b WHERE ${where}`)).rows[0]!.n);
    const ouB = "b.account_id IN (SELECT id FROM account WHERE ou_path = 'r-root/ou-b')";
    expect(await total({ control: "https-only" })).toBe(await count("b.gone_at IS NULL AND b.id % 4 <> 0"));
    expect(await total({ ou: "r-root/ou-b" })).toBe(await count(`b.gone_at IS NULL AND ${ouB}`));
    expect(await total({ control: "https-only", ou: "r-root/ou-b" })).toBe(
      await count(`b.gone_at IS NULL AND b.id % 4 <> 0 AND ${ouB}`),
    );
  });

  it("the list counts a view the counters cannot count only up to LIST_COUNT_LIMIT + 1, a broad one they can exactly", async () => {
    const countOf = async (view: BucketFilters) => {
      const sql = bucketListSql(BucketQuerySchema.parse(bucketQueryParams(view)));
      return { n: Number((await withLowWorkMem<{ n: string }>(sql.count, false))[0]!.n), exact: sql.countIsExact };
    };
    const live = Number(
      (await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM bucket WHERE gone_at IS NULL")).rows[0]!.n,
    );
    expect(live).toBeGreaterThan(LIST_COUNT_LIMIT);
    expect(await countOf({})).toEqual({ n: live, exact: true });
    // Half the buckets carry Environment=production: more than the limit, counted only that far.
    expect(await countOf({ tag: { key: "Environment", value: "production" } })).toEqual({
      n: LIST_COUNT_LIMIT + 1,
      exact: false,
    });
    // Asked to (count=all, the page's "Count them all"), it counts to the end.
    const all = bucketListSql(BucketQuerySchema.parse({ tag: "Environment=production", count: "all" }));
    const production = Number(
      (
        await client.query<{ n: string }>(
          "SELECT COUNT(*) AS n FROM bucket WHERE gone_at IS NULL AND tags->>'Environment' = 'production'",
        )
      ).rows[0]!.n,
    );
    expect(production).toBeGreaterThan(LIST_COUNT_LIMIT);
    expect(all.countIsExact).toBe(true);
    expect(Number((await withLowWorkMem<{ n: string }>(all.count, false))[0]!.n)).toBe(production);
    // A narrow view the counters cannot count is counted exactly all the same.
    const narrow = Number(
      (
        await client.query<{ n: string }>(
          "SELECT COUNT(*) AS n FROM bucket WHERE gone_at IS NULL AND region = 'eu-west-1' AND account_id = '000000000003'",
        )
      ).rows[0]!.n,
    );
    expect(await countOf({ region: "eu-west-1", account: "000000000003" })).toEqual({ n: narrow, exact: false });
  });
});
