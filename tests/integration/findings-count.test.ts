/**
 * macie_finding_count and macie_finding_region_count (the findings list's and overview's counts) stay equal to counting the findings themselves
 * through every kind of write the load step and Postgres make: inserts, the load step's upsert (INSERT … ON CONFLICT
 * DO UPDATE: an archive flips a group), deletes, and TRUNCATE.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let sql: pg.Client;

beforeAll(async () => {
  db = await scratchDb("findings_count");
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  for (const id of ["111111111111", "222222222222"]) {
    await sql.query(
      `INSERT INTO account (id, name, role_arn, external_id, updated_at) VALUES ($1::text, $1::text, 'arn:aws:iam::' || $1::text || ':role/R', 'x', now())`,
      [id],
    );
  }
});
afterAll(async () => {
  await sql.end();
  await db.drop();
});

const insert = (
  rows: [id: string, account: string, region: string, type: string, severity: number, archived: boolean][],
) =>
  sql.query(
    `INSERT INTO macie_finding (id, account_id, region, bucket_name, type, category, severity, severity_score, count,
                                sensitive_data_categories, detection_types, created_at, updated_at, archived, last_seen_sync_id)
     SELECT r.id, r.account, r.region, 'b', r.type, 'CLASSIFICATION', 'x', r.sev, 1, '{}', '{}', now(), now(), r.archived,
            '00000000-0000-0000-0000-000000000000'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::boolean[]) AS r(id, account, region, type, sev, archived)
     ON CONFLICT (id) DO UPDATE SET archived = EXCLUDED.archived, severity_score = EXCLUDED.severity_score`,
    [
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
      rows.map((r) => r[3]),
      rows.map((r) => r[4]),
      rows.map((r) => r[5]),
    ],
  );

/** Every group's stored count against COUNT(*) of the findings (groups at 0 may remain). */
async function expectCountsExact() {
  const { rows } = await sql.query<{ key: string; stored: string; actual: string }>(`
    SELECT concat_ws('/', COALESCE(c.account_id, f.account_id), COALESCE(c.region, f.region), COALESCE(c.type, f.type),
                     COALESCE(c.severity_score, f.severity_score), COALESCE(c.archived, f.archived)) AS key,
           COALESCE(c.n, 0) AS stored, COALESCE(f.n, 0) AS actual
      FROM macie_finding_count c
      FULL JOIN (SELECT account_id, region, type, category, severity_score, archived, COUNT(*) AS n FROM macie_finding GROUP BY 1, 2, 3, 4, 5, 6) f
        USING (account_id, region, type, category, severity_score, archived)`);
  for (const r of rows) expect(Number(r.stored), r.key).toBe(Number(r.actual));
  // The same counts with every account together: counts plus deltas exact at any time, and again once folded.
  for (const fold of [false, true]) {
    if (fold) await sql.query(`SELECT macie_finding_region_count_fold()`);
    const { rows: together } = await sql.query<{ key: string; stored: string; actual: string }>(`
      SELECT concat_ws('/', COALESCE(c.region, f.region), COALESCE(c.type, f.type), COALESCE(c.category, f.category),
                       COALESCE(c.severity_score, f.severity_score), COALESCE(c.archived, f.archived)) AS key,
             COALESCE(c.n, 0) AS stored, COALESCE(f.n, 0) AS actual
        FROM (SELECT region, type, category, severity_score, archived, SUM(n) AS n
                FROM (SELECT region, type, category, severity_score, archived, n FROM macie_finding_region_count
                      UNION ALL
                      SELECT region, type, category, severity_score, archived, n FROM macie_finding_region_count_delta) u
               GROUP BY 1, 2, 3, 4, 5) c
        FULL JOIN (SELECT region, type, category, severity_score, archived, COUNT(*) AS n FROM macie_finding GROUP BY 1, 2, 3, 4, 5) f
          USING (region, type, category, severity_score, archived)`);
    for (const r of together) expect(Number(r.stored), `${r.key} (folded: ${fold})`).toBe(Number(r.actual));
  }
  const {
    rows: [deltas],
  } = await sql.query<{ n: string }>(`SELECT COUNT(*) AS n FROM macie_finding_region_count_delta`);
  expect(Number(deltas!.n)).toBe(0);
  return rows.reduce((n, r) => n + Number(r.actual), 0);
}

it("counts inserts, upserts that move a finding between groups, deletes and truncation exactly", async () => {
  const rows = Array.from(
    { length: 300 },
    (_, i) =>
      [
        `f${i}`,
        i % 3 ? "111111111111" : "222222222222",
        i % 2 ? "eu-west-1" : "us-east-1",
        `T${i % 4}`,
        1 + (i % 3),
        i % 7 === 0,
      ] as [string, string, string, string, number, boolean],
  );
  await insert(rows);
  expect(await expectCountsExact()).toBe(300);

  // The load step's upsert: 50 existing findings archived and re-scored, 20 new ones, in one statement.
  await insert([
    ...rows
      .slice(0, 50)
      .map(([id, a, r, t]) => [id, a, r, t, 3, true] as [string, string, string, string, number, boolean]),
    ...Array.from(
      { length: 20 },
      (_, i) =>
        [`n${i}`, "111111111111", "ap-southeast-2", "T9", 2, false] as [
          string,
          string,
          string,
          string,
          number,
          boolean,
        ],
    ),
  ]);
  expect(await expectCountsExact()).toBe(320);
  const {
    rows: [high],
  } = await sql.query<{ n: string }>(
    `SELECT SUM(n) AS n FROM macie_finding_count WHERE severity_score = 3 AND archived`,
  );
  const {
    rows: [direct],
  } = await sql.query<{ n: string }>(`SELECT COUNT(*) AS n FROM macie_finding WHERE severity_score = 3 AND archived`);
  expect(Number(high!.n)).toBe(Number(direct!.n));

  await sql.query(`DELETE FROM macie_finding WHERE region = 'eu-west-1' AND account_id = '111111111111'`);
  await expectCountsExact();
  await sql.query(`DELETE FROM macie_finding WHERE account_id = '222222222222' AND archived`);
  const left = await expectCountsExact();
  expect(left).toBeGreaterThan(0);

  await sql.query(`TRUNCATE macie_finding`);
  expect(await expectCountsExact()).toBe(0);
  const {
    rows: [empty],
  } = await sql.query<{ n: string }>(
    `SELECT (SELECT COUNT(*) FROM macie_finding_count) + (SELECT COUNT(*) FROM macie_finding_region_count) AS n`,
  );
  expect(Number(empty!.n)).toBe(0);
});
