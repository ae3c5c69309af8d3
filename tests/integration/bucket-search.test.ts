/**
 * bucket_search (migration bucket_search_side_table) carries the bucket's name and tags for their GIN indexes, kept by
 * triggers on bucket. It must hold exactly the buckets' names and tags after any kind of write — multi-row inserts,
 * upserts, updates of name or tags, deletes and cascades — and must not be written at all when an update leaves name
 * and tags alone (the evaluation's and the sync's updates): that is what takes the GIN entries off those updates.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let client: pg.Client;

const ACCOUNT = "000000000001";

const insertBuckets = (from: number, to: number) =>
  client.query(`
    INSERT INTO bucket (arn, name, account_id, region, first_seen_sync_id, last_seen_sync_id, tags)
    SELECT 'arn:aws:s3:::s-' || i, 's-' || i, '${ACCOUNT}', 'us-east-1', gen_random_uuid(), gen_random_uuid(),
           CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('env', CASE WHEN i % 2 = 0 THEN 'prod' ELSE 'dev' END) END
      FROM generate_series(${from}, ${to}) i
    ON CONFLICT (arn) DO UPDATE SET tags = EXCLUDED.tags, last_seen_at = now()`);

/** Buckets whose side row differs from the bucket (or is missing, or has no bucket). */
async function mismatches(): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`
    SELECT COUNT(*) AS n
      FROM bucket b FULL JOIN bucket_search bs ON bs.bucket_id = b.id
     WHERE b.id IS NULL OR bs.bucket_id IS NULL OR bs.name IS DISTINCT FROM b.name OR bs.tags IS DISTINCT FROM b.tags`);
  return Number(rows[0]!.n);
}

/** The row versions of the side table (xmin changes whenever a row is rewritten). */
async function sideVersions(): Promise<Map<number, string>> {
  const { rows } = await client.query<{ bucket_id: number; v: string }>(
    "SELECT bucket_id, xmin::text AS v FROM bucket_search",
  );
  return new Map(rows.map((r) => [r.bucket_id, r.v]));
}

beforeAll(async () => {
  db = await scratchDb("bucket-search");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`INSERT INTO account (id, name, role_arn, external_id, updated_at)
                      VALUES ('${ACCOUNT}', 'one', 'arn:aws:iam::${ACCOUNT}:role/custody', 'x', now())`);
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("bucket_search", () => {
  it("gets a row for every bucket a (multi-row) insert adds, with its name and tags", async () => {
    await insertBuckets(1, 200);
    const { rows } = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM bucket_search");
    expect(Number(rows[0]!.n)).toBe(200);
    expect(await mismatches()).toBe(0);
  });

  it("follows a changed name or tags, upserts included, and nothing else", async () => {
    const before = await sideVersions();
    // An upsert over existing and new buckets, whose tags change for some of the existing ones only.
    await client.query(`UPDATE bucket SET tags = '{"env":"stale"}' WHERE name IN ('s-1', 's-2', 's-3')`);
    await insertBuckets(1, 250);
    await client.query(`UPDATE bucket SET name = 's-renamed' WHERE name = 's-10'`);
    expect(await mismatches()).toBe(0);
    const after = await sideVersions();
    const rewritten = [...before].filter(([id, v]) => after.get(id) !== v).length;
    // s-1, s-2, s-3 (tags set, then set back by the upsert: both rewrite the side row) and s-10.
    expect(rewritten).toBe(4);
    expect(after.size).toBe(250);
  });

  it("is not written by updates that leave name and tags alone, even ones that set them to what they were", async () => {
    const before = await sideVersions();
    await client.query(`UPDATE bucket SET risk_score = risk_score + 1, failing_required = 1, exposure = 'public',
                                          evaluated_at = now()`);
    await client.query(`UPDATE bucket SET tags = tags, name = name, last_seen_at = now()`);
    expect(await sideVersions()).toEqual(before);
    expect(await mismatches()).toBe(0);
  });

  it("loses the rows of deleted buckets, deletes through the account's cascade included", async () => {
    await client.query(`DELETE FROM bucket WHERE name IN ('s-20', 's-21')`);
    expect(await mismatches()).toBe(0);
    await client.query(`DELETE FROM account WHERE id = '${ACCOUNT}'`);
    const { rows } = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM bucket_search");
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
