/**
 * A large estate for the read and export benchmarks. Syncing 100,000 buckets through the real collectors takes too
 * long on a small machine, so a base estate (a few thousand buckets) goes through the real sync path and is then
 * multiplied in SQL: copies of account, account_region, bucket, bucket_state, control_result, config_evaluation,
 * macie_finding and macie_bucket_profile rows with new account ids, bucket names, ARNs and ids. Then synthetic Macie
 * findings fill macie_finding up to the requested total, the buckets' Macie counters are recomputed from them, and
 * the database is ANALYZEd. The benchmarks say so in their output.
 */
import pg from "pg";
import type { Db } from "@/lib/db/prisma";
import { seconds } from "./bench-args";
import { loadBenchEstate } from "./load-estate";

export interface LargeEstateSize {
  accounts: number;
  bucketsPerAccount: number;
  findings: number;
  regions: string[];
  /** Accounts synced through the real path before multiplying (the rest are SQL copies of them). */
  baseAccounts: number;
}

async function columns(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** INSERT INTO table SELECT every column of `alias` (the source row), with some columns replaced by expressions. */
async function copyRows(
  client: pg.Client,
  table: string,
  alias: string,
  overrides: Record<string, string>,
  from: string,
) {
  const cols = await columns(client, table);
  const select = cols.map((c) => overrides[c] ?? `${alias}.${c}`).join(", ");
  const res = await client.query(`INSERT INTO ${table} (${cols.join(", ")}) SELECT ${select} FROM ${from}`);
  return res.rowCount ?? 0;
}

export async function buildLargeEstate(
  prisma: Db,
  url: string,
  size: LargeEstateSize,
  log: (line: string) => void = console.log,
) {
  const base = Math.min(size.baseAccounts, size.accounts);
  const copies = Math.ceil(size.accounts / base);
  const { syncMs } = await loadBenchEstate(prisma, {
    accounts: base,
    bucketsPerAccount: size.bucketsPerAccount,
    regions: size.regions,
  });
  const baseBuckets = await prisma.bucket.count();
  log(
    `base estate: ${base} accounts, ${baseBuckets.toLocaleString("en")} buckets synced through the real path in ${seconds(syncMs)}`,
  );

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t = performance.now();
  try {
    // Copies are consistent by construction; skip FK triggers while bulk-copying (needs a superuser, as the local
    // Postgres is).
    await client.query("SET session_replication_role = replica");
    await client.query("BEGIN");
    await client.query(`CREATE TEMP TABLE account_map ON COMMIT DROP AS
      SELECT a.id AS old_id, c AS copy, lpad((900000000000 + c * 100000 + row_number() OVER (PARTITION BY c ORDER BY a.id))::text, 12, '0') AS new_id
        FROM account a CROSS JOIN generate_series(1, ${copies - 1}) c
       ORDER BY c, a.id
       LIMIT ${size.accounts - base}`);
    await client.query(`CREATE TEMP TABLE bucket_map ON COMMIT DROP AS
      SELECT b.id AS old_id, m.copy, m.new_id AS account_id, nextval(pg_get_serial_sequence('bucket', 'id')) AS new_id,
             b.name || '-c' || m.copy AS name
        FROM bucket b JOIN account_map m ON m.old_id = b.account_id`);
    await client.query("CREATE INDEX ON bucket_map (old_id, copy)");
    await client.query(`CREATE TEMP TABLE state_map ON COMMIT DROP AS
      SELECT s.id AS old_id, bm.copy, bm.new_id AS bucket_id, nextval(pg_get_serial_sequence('bucket_state', 'id')) AS new_id
        FROM bucket_state s JOIN bucket_map bm ON bm.old_id = s.bucket_id`);
    await client.query("CREATE INDEX ON state_map (old_id, copy)");
    await client.query("ANALYZE account_map; ANALYZE bucket_map; ANALYZE state_map");

    const n: Record<string, number> = {};
    n.account = await copyRows(
      client,
      "account",
      "a",
      {
        id: "m.new_id",
        name: "a.name || ' #' || m.copy",
        role_arn: "replace(a.role_arn, a.id, m.new_id)",
      },
      "account a JOIN account_map m ON m.old_id = a.id",
    );
    n.account_region = await copyRows(
      client,
      "account_region",
      "r",
      { account_id: "m.new_id" },
      "account_region r JOIN account_map m ON m.old_id = r.account_id",
    );
    n.bucket = await copyRows(
      client,
      "bucket",
      "b",
      {
        id: "bm.new_id",
        account_id: "bm.account_id",
        name: "bm.name",
        arn: "'arn:aws:s3:::' || bm.name",
        current_state_id:
          "(SELECT sm.new_id FROM state_map sm WHERE sm.old_id = b.current_state_id AND sm.copy = bm.copy)",
      },
      "bucket b JOIN bucket_map bm ON bm.old_id = b.id",
    );
    // Written by a trigger on bucket, which replica mode does not fire.
    n.bucket_search = await copyRows(
      client,
      "bucket_search",
      "s",
      { bucket_id: "bm.new_id", name: "bm.name" },
      "bucket_search s JOIN bucket_map bm ON bm.old_id = s.bucket_id",
    );
    n.bucket_state = await copyRows(
      client,
      "bucket_state",
      "s",
      { id: "sm.new_id", bucket_id: "sm.bucket_id" },
      "bucket_state s JOIN state_map sm ON sm.old_id = s.id",
    );
    n.control_result = await copyRows(
      client,
      "control_result",
      "cr",
      // A result's digest covers its bucket id: the copy's is unknown until an evaluation writes it.
      { bucket_id: "bm.new_id", verdict_digest: "NULL" },
      "control_result cr JOIN bucket_map bm ON bm.old_id = cr.bucket_id",
    );
    n.config_evaluation = await copyRows(
      client,
      "config_evaluation",
      "ce",
      {
        id: `nextval(pg_get_serial_sequence('config_evaluation', 'id'))`,
        account_id: "m.new_id",
        bucket_name: "ce.bucket_name || '-c' || m.copy",
      },
      "config_evaluation ce JOIN account_map m ON m.old_id = ce.account_id",
    );
    n.macie_bucket_profile = await copyRows(
      client,
      "macie_bucket_profile",
      "p",
      {
        account_id: "m.new_id",
        bucket_name: "p.bucket_name || '-c' || m.copy",
      },
      "macie_bucket_profile p JOIN account_map m ON m.old_id = p.account_id",
    );
    n.macie_finding = await copyRows(
      client,
      "macie_finding",
      "f",
      {
        id: "f.id || '-c' || m.copy",
        account_id: "m.new_id",
        bucket_name: "f.bucket_name || '-c' || m.copy",
      },
      "macie_finding f JOIN account_map m ON m.old_id = f.account_id",
    );
    await client.query("COMMIT");
    log(
      `multiplied ×${copies} in SQL in ${seconds(performance.now() - t)}: ${Object.entries(n)
        .map(([k, v]) => `${k} +${v.toLocaleString("en")}`)
        .join(", ")}`,
    );

    // Synthetic findings up to the total: spread over live buckets, severities and types drawn from the row number.
    const {
      rows: [have],
    } = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM macie_finding");
    const missing = size.findings - Number(have!.n);
    if (missing > 0) {
      const t2 = performance.now();
      await client.query("BEGIN");
      await client.query(`CREATE TEMP TABLE live ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS rn, account_id, region, name FROM bucket WHERE gone_at IS NULL`);
      await client.query("CREATE INDEX ON live (rn)");
      const {
        rows: [live],
      } = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM live");
      const sync = await client.query<{ id: string }>("SELECT id FROM sync_run ORDER BY requested_at DESC LIMIT 1");
      await client.query(
        `INSERT INTO macie_finding (id, account_id, region, bucket_name, type, category, severity, severity_score, count,
                                    sensitive_data_categories, detection_types, created_at, updated_at, archived, first_seen_at, last_seen_sync_id)
         SELECT 'bench-' || g, l.account_id, l.region, l.name,
                (ARRAY['SensitiveData:S3Object/Personal','SensitiveData:S3Object/Financial','SensitiveData:S3Object/Credentials','Policy:IAMUser/S3BucketPublic','SensitiveData:S3Object/Multiple'])[1 + g % 5],
                CASE WHEN g % 5 = 3 THEN 'POLICY' ELSE 'CLASSIFICATION' END,
                (ARRAY['Low','Medium','High'])[1 + (g * 7) % 3], 1 + (g * 7) % 3, 1 + g % 40,
                ARRAY['PERSONAL_INFORMATION'], ARRAY['SYSTEM'], now() - (g % 365) * interval '1 day', now() - (g % 30) * interval '1 day',
                g % 17 = 0, now(), $1::uuid
           FROM generate_series(1::bigint, ${missing}) g JOIN live l ON l.rn = (g * 7919) % ${Number(live!.n)}`,
        [sync.rows[0]!.id],
      );
      await client.query(`UPDATE bucket b SET macie_findings = s.n, macie_max_severity = s.max
        FROM (SELECT account_id, bucket_name, COUNT(*) FILTER (WHERE category = 'CLASSIFICATION' AND NOT archived) AS n,
                     COALESCE(MAX(severity_score) FILTER (WHERE category = 'CLASSIFICATION' AND NOT archived), 0) AS max
                FROM macie_finding GROUP BY 1, 2) s
       WHERE s.account_id = b.account_id AND s.bucket_name = b.name`);
      await client.query("COMMIT");
      log(
        `synthetic Macie findings: +${missing.toLocaleString("en")} (total ${size.findings.toLocaleString("en")}) in ${seconds(performance.now() - t2)}`,
      );
    }
    await client.query("SET session_replication_role = DEFAULT");
    // Triggers (the findings count) do not fire in replica mode: rebuild the count from the findings copied above.
    await client.query(`DELETE FROM macie_finding_count`);
    await client.query(`INSERT INTO macie_finding_count (account_id, region, type, category, severity_score, archived, n)
      SELECT account_id, region, type, category, severity_score, archived, COUNT(*) FROM macie_finding GROUP BY 1, 2, 3, 4, 5, 6`);
    await client.query(`SELECT macie_finding_region_count_rebuild()`);
    // Nor the maintained counters' (bucket_tally, control_tally): recount them from the copies too.
    await client.query(`SELECT bucket_tally_rebuild(), control_tally_rebuild()`);
    const t3 = performance.now();
    await client.query("VACUUM ANALYZE");
    log(`VACUUM ANALYZE in ${seconds(performance.now() - t3)}`);
    const { rows: counts } = await client.query<{
      buckets: string;
      findings: string;
      accounts: string;
      results: string;
    }>(
      `SELECT (SELECT COUNT(*) FROM bucket) AS buckets, (SELECT COUNT(*) FROM macie_finding) AS findings,
              (SELECT COUNT(*) FROM account) AS accounts, (SELECT COUNT(*) FROM control_result) AS results`,
    );
    const c = counts[0]!;
    log(
      `estate: ${Number(c.accounts).toLocaleString("en")} accounts, ${Number(c.buckets).toLocaleString("en")} buckets, ` +
        `${Number(c.results).toLocaleString("en")} control results, ${Number(c.findings).toLocaleString("en")} Macie findings`,
    );
    return { buckets: Number(c.buckets), findings: Number(c.findings), accounts: Number(c.accounts) };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
