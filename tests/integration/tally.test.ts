/**
 * The maintained counters (migration bucket_tally, lib/server/sql/tally.ts) must count exactly what the bucket list's
 * own where-clause counts, for every view they serve, after any kind of write: inserts, upserts, updates that change
 * a counted column or none, buckets going and coming back, deletes and cascades, concurrent writers and folds running
 * alongside, TRUNCATE. And folded counters must equal a recount from scratch.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BucketFilters } from "@/lib/schemas/bucket-query";
import { bucketScanCountSql } from "@/lib/server/dal/buckets";
import { tallyCountSql, tallySumColumn, tallySumsSql } from "@/lib/server/sql/tally";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let client: pg.Client;

const ACCOUNTS = ["000000000001", "000000000002", "000000000003", "000000000004"];
const CONTROLS = ["https-only", "encryption-at-rest", "sensitive-data-matches-level"];

/** Buckets with every counted column spread over its values (seeded), NULL level and owner included. */
const INSERT_BUCKETS = (from: number, to: number) => `
  INSERT INTO bucket (arn, name, account_id, region, first_seen_sync_id, last_seen_sync_id, owner_tag, level_key,
                      level_rank, level_source, classified, exposure, outside_reach, failing_required,
                      unknown_required, waived_required, compliant, macie_max_severity, config_disagreements)
  SELECT 'arn:aws:s3:::b-' || i, 'b-' || i, (ARRAY['${ACCOUNTS.join("','")}'])[1 + i % ${ACCOUNTS.length}],
         (ARRAY['us-east-1', 'eu-west-1'])[1 + i % 2], gen_random_uuid(), gen_random_uuid(),
         (ARRAY['team-a', 'team-b', '', NULL])[1 + (i / 3) % 4], (ARRAY['high', 'low', NULL])[1 + (i / 2) % 3],
         i % 3, (ARRAY['manual', 'cloudtrail', 'tag', 'fallback'])[1 + (i / 5) % 4], (i / 7) % 2 = 0,
         (ARRAY['public', 'not-public', 'unknown'])[1 + (i / 11) % 3],
         (ARRAY['reachable', 'not-reachable', 'unknown'])[1 + (i / 13) % 3], (i / 17) % 3, (i / 19) % 2,
         (i / 23) % 2, (i / 29) % 2 = 0, (i / 31) % 4, (i / 37) % 2
    FROM generate_series(${from}, ${to}) i
  ON CONFLICT (arn) DO UPDATE SET failing_required = EXCLUDED.failing_required + 1, exposure = 'public',
                                  last_seen_at = now()`;

const INSERT_RESULTS = `
  INSERT INTO control_result (bucket_id, control_id, required, status, observed, reason, evidence, scheme_version,
                              evaluated_at)
  SELECT b.id, c, true, (ARRAY['pass', 'fail', 'unknown', 'waived', 'not-required'])[1 + (b.id + length(c)) % 5],
         (ARRAY['pass', 'fail', 'unknown'])[1 + (b.id / 3 + length(c)) % 3], 'generated', '{}', 1, now()
    FROM bucket b CROSS JOIN unnest(ARRAY['${CONTROLS.join("','")}']) c
  ON CONFLICT (bucket_id, control_id) DO NOTHING`;

const SCOPES: BucketFilters[] = [
  {},
  { account: ACCOUNTS[1] },
  { level: "high" },
  { owner: "team-a" },
  { owner: "" },
  { unowned: true },
  { ou: "r-root/ou-a" },
  { account: ACCOUNTS[0], level: "low" },
  { ou: "r-root/ou-b", owner: "team-b" },
];
const CONDITIONS: BucketFilters[] = [
  {},
  { exposure: "public" },
  { exposure: "not-public" },
  { exposure: "unknown" },
  { exposure: "outside" },
  { source: "manual" },
  { source: "cloudtrail" },
  { source: "tag" },
  { source: "fallback" },
  { failing: true },
  { unknown: true },
  { waived: true },
  { compliant: "yes" },
  { compliant: "no" },
  { config: "disagree" },
  { macie: "low" },
  { macie: "medium" },
  { macie: "high" },
];
const CONTROL_VIEWS: BucketFilters[] = CONTROLS.flatMap((control) => [
  { control } as BucketFilters,
  { control, status: "pass" } as BucketFilters,
  { control, status: "waived" } as BucketFilters,
  { control, observed: "fail" } as BucketFilters,
  { control, status: "fail", observed: "unknown" } as BucketFilters,
]);
const VIEWS = [...SCOPES.flatMap((s) => CONDITIONS.map((c) => ({ ...s, ...c }))), ...CONTROL_VIEWS];

async function count(sql: Prisma.Sql): Promise<number> {
  return Number((await client.query<{ n: string }>(sql.text, sql.values)).rows[0]!.n);
}

/** Every view counted both ways: [view, from the counters, by the where-clause] where they differ. */
async function disagreements(): Promise<[string, number, number][]> {
  const out: [string, number, number][] = [];
  for (const view of VIEWS) {
    const tallied = tallyCountSql(view);
    expect(tallied, JSON.stringify(view)).not.toBeNull();
    const [a, b] = [await count(tallied!), await count(bucketScanCountSql(view))];
    if (a !== b) out.push([JSON.stringify(view), a, b]);
  }
  return out;
}

const fold = () => client.query("SELECT bucket_tally_fold(), control_tally_fold()");

beforeAll(async () => {
  db = await scratchDb("tally");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`
    INSERT INTO account (id, name, ou_path, role_arn, external_id, updated_at)
    SELECT id, 'account ' || id, CASE WHEN right(id, 1)::int % 2 = 0 THEN 'r-root/ou-a' ELSE 'r-root/ou-b' END,
           'arn:aws:iam::' || id || ':role/custody', 'x', now()
      FROM unnest(ARRAY['${ACCOUNTS.join("','")}']) id`);
}, 60_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("maintained counters", () => {
  it("serve every one-condition view with scope filters, and a control's verdict alone — nothing else", () => {
    for (const view of VIEWS) expect(tallyCountSql(view), JSON.stringify(view)).not.toBeNull();
    const scanned: BucketFilters[] = [
      { region: "us-east-1" },
      { q: "b-1" },
      { tag: { key: "Environment", value: undefined } },
      { failing: true, exposure: "public" },
      { control: "https-only", account: ACCOUNTS[0] },
    ];
    for (const view of scanned) expect(tallyCountSql(view), JSON.stringify(view)).toBeNull();
    // A list query carries its sort and page too: they change nothing about what is counted.
    const listQuery = { control: "https-only", sort: "name", dir: "asc", page: 3, pageSize: 50 } as BucketFilters;
    expect(tallyCountSql(listQuery)?.text).toBe(tallyCountSql({ control: "https-only" })?.text);
    // In one pass with other views: not an OU (it reads account) nor a control (control_tally).
    expect(tallySumColumn({ ou: "r-root/ou-a" })).toBeNull();
    expect(tallySumColumn({ control: "https-only" })).toBeNull();
    expect(tallySumColumn({ failing: true, level: "high" })).not.toBeNull();
    expect(() => tallySumsSql([{ column: "c0", view: { ou: "r-root/ou-a" } }])).toThrow(/cannot count/);
  });

  it("count what the where-clause counts after inserts, upserts, updates, gone and back, deletes, cascades", async () => {
    await client.query(INSERT_BUCKETS(1, 600));
    await client.query(INSERT_RESULTS);
    expect(await disagreements()).toEqual([]);

    await client.query(INSERT_BUCKETS(400, 900)); // 400–600 conflict: the upsert's UPDATE path
    await client.query(INSERT_RESULTS);
    await client.query("UPDATE bucket SET gone_at = now() WHERE id % 9 = 0");
    await client.query("UPDATE bucket SET last_seen_at = now()"); // changes nothing counted
    await client.query(`UPDATE bucket SET level_key = NULL, owner_tag = 'team-c', compliant = NOT compliant,
                               macie_max_severity = (macie_max_severity + 1) % 4 WHERE id % 5 = 1`);
    await client.query(`UPDATE control_result SET status = 'fail', observed = 'pass' WHERE bucket_id % 4 = 0`);
    expect(await disagreements()).toEqual([]);
    await fold();
    expect(await disagreements()).toEqual([]);

    await client.query("UPDATE bucket SET gone_at = NULL WHERE id % 18 = 0"); // half the gone ones come back
    await client.query("DELETE FROM control_result WHERE bucket_id % 7 = 0 AND control_id = 'https-only'");
    await client.query("DELETE FROM bucket WHERE id % 10 = 3"); // cascades to their results
    await client.query(`DELETE FROM account WHERE id = '${ACCOUNTS[3]}'`); // cascades to its buckets and results
    expect(await disagreements()).toEqual([]);
    await fold();
    expect(await disagreements()).toEqual([]);
  });

  it("stay exact with writers and folds running at once, and folded they equal a recount", async () => {
    const others = await Promise.all([0, 1, 2].map(() => new pg.Client({ connectionString: db.url })));
    await Promise.all(others.map((c) => c.connect()));
    try {
      const writer = async (c: pg.Client, seed: number) => {
        for (let round = 0; round < 15; round++) {
          await c.query("BEGIN");
          await c.query(
            `UPDATE bucket SET failing_required = (failing_required + $1) % 3, exposure = (ARRAY['public', 'not-public', 'unknown'])[1 + (id + $1) % 3]
              WHERE id % 6 = $2`,
            [round, (seed + round) % 6],
          );
          await c.query(
            `UPDATE control_result SET status = (ARRAY['pass', 'fail', 'unknown'])[1 + (bucket_id + $1) % 3] WHERE bucket_id % 5 = $2`,
            [round, (seed + round) % 5],
          );
          await c.query(round % 4 === 3 ? "ROLLBACK" : "COMMIT"); // a rolled-back write leaves no trace either
        }
      };
      const folder = async (c: pg.Client) => {
        for (let round = 0; round < 30; round++) await c.query("SELECT bucket_tally_fold(), control_tally_fold()");
      };
      await Promise.all([writer(others[0]!, 0), writer(others[1]!, 3), folder(others[2]!)]);
    } finally {
      await Promise.all(others.map((c) => c.end()));
    }
    expect(await disagreements()).toEqual([]);

    await fold();
    const snapshot = async () =>
      (
        await client.query(`SELECT (SELECT json_agg(t ORDER BY account_id, level_key, has_owner, owner_tag) FROM bucket_tally t) AS b,
                                   (SELECT json_agg(t ORDER BY control_id, status, observed) FROM control_tally t) AS c,
                                   (SELECT json_agg(t ORDER BY account_id, level_key) FROM account_level_tally t) AS r,
                                   (SELECT count(*) FROM bucket_tally_delta) + (SELECT count(*) FROM control_tally_delta) AS deltas`)
      ).rows[0] as { b: unknown; c: unknown; r: unknown; deltas: string };
    const folded = await snapshot();
    expect(Number(folded.deltas)).toBe(0);
    await client.query("SELECT bucket_tally_rebuild(), control_tally_rebuild()");
    expect(await snapshot()).toEqual(folded);
    // No zero rows are left behind by folding (a group whose buckets all went is removed), in either table.
    expect((await client.query("SELECT count(*)::int AS n FROM bucket_tally WHERE buckets = 0")).rows[0].n).toBe(0);
    expect((await client.query("SELECT count(*)::int AS n FROM account_level_tally WHERE buckets = 0")).rows[0].n).toBe(
      0,
    );
    // The rollup the folds kept is bucket_tally summed over owners, column by column.
    const rollupDifference = await client.query(`
      SELECT account_id, level_key FROM (
        (SELECT account_id, level_key, buckets, failing, compliant, classified, outside_reachable, macie_high
           FROM account_level_tally
         EXCEPT
         SELECT account_id, level_key, SUM(buckets)::int, SUM(failing)::int, SUM(compliant)::int, SUM(classified)::int,
                SUM(outside_reachable)::int, SUM(macie_high)::int
           FROM bucket_tally GROUP BY 1, 2)
        UNION ALL
        (SELECT account_id, level_key, SUM(buckets)::int, SUM(failing)::int, SUM(compliant)::int, SUM(classified)::int,
                SUM(outside_reachable)::int, SUM(macie_high)::int
           FROM bucket_tally GROUP BY 1, 2
         EXCEPT
         SELECT account_id, level_key, buckets, failing, compliant, classified, outside_reachable, macie_high
           FROM account_level_tally)) d`);
    expect(rollupDifference.rows).toEqual([]);
  });

  it("are emptied by TRUNCATE (tests and benchmarks reset the tables so)", async () => {
    await client.query("TRUNCATE bucket CASCADE");
    expect(await disagreements()).toEqual([]);
    expect(
      (
        await client.query(
          "SELECT (SELECT count(*) FROM bucket_tally) + (SELECT count(*) FROM control_tally) + (SELECT count(*) FROM account_level_tally) AS n",
        )
      ).rows[0].n,
    ).toBe("0");
  });
});
