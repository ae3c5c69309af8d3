/**
 * Benchmark 3 — reads. A 100,000-bucket estate (a base estate synced through the real path, multiplied in SQL; see
 * bench/support/large-estate.ts) with 1,000,000 Macie findings, served by the production build (`next start`).
 * Measures p50/p95 over HTTP on loopback (≈ server time) of the bucket list for every filter and sort the page
 * offers (first and deep page), /overview, /coverage, /findings and a bucket page; prints EXPLAIN (ANALYZE, BUFFERS)
 * of the main statements (the DAL's own SQL) and counts the statements each page issues.
 *
 *   npm run bench:reads -- [--accounts 1000 --buckets-per-account 100 --findings 1000000 --base-accounts 30 --requests 30]
 *   npm run bench:reads -- --database <url of an estate kept by bench:exports --keep-database>
 *   npm run bench:reads -- --database <url> --cases "control|overview"   (only the cases whose name matches)
 *   npm run bench:reads -- --keep-database    (leave the estate in place and print its URL, for --database later)
 *   npm run bench:reads -- --database <url> --explain-only   (only the plans: no app build, no HTTP)
 * Targets: p95 < 100 ms for lists, < 300 ms for aggregates (overview, coverage).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { createPrismaClient } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { FindingQuerySchema } from "@/lib/schemas/finding-query";
import { bucketListSql, countPrefersTrigramIndex } from "@/lib/server/dal/buckets";
import { findingCountSql } from "@/lib/server/dal/findings";
import { postureCounters, postureCountsSql } from "@/lib/server/dal/posture";
import { FAILING_BY_CONTROL_SQL } from "@/lib/server/sql/tally";
import { benchArgs, verdict } from "./support/bench-args";
import { benchDatabase } from "./support/bench-database";
import { buildLargeEstate } from "./support/large-estate";
import { percentile, startAppServer } from "./support/app-server";

const args = benchArgs({ accounts: 1000, bucketsPerAccount: 100, findings: 1_000_000 });
console.log(
  `read benchmark: ${args.accounts} accounts × ${args.bucketsPerAccount} buckets, ${args.findings.toLocaleString("en")} findings, ${args.requests} requests per case`,
);

type Kind = "list" | "aggregate" | "page";
/** Thrown after the plans when --explain-only: ends the run there, through the same cleanup. */
class ExplainOnly extends Error {}
interface Case {
  name: string;
  path: string;
  kind: Kind;
}

// --database <url>: measure an estate built before (e.g. by `npm run bench:exports -- --keep-database`), kept as is.
// --cases <regex>: time only the matching cases (and skip the statement counts), to re-measure a few after a change.
const { values: own } = parseArgs({
  options: {
    database: { type: "string" },
    cases: { type: "string" },
    "keep-database": { type: "boolean" },
    "explain-only": { type: "boolean" },
  },
  strict: false,
});
const reuseUrl = typeof own.database === "string" ? own.database : null;
const caseFilter = typeof own.cases === "string" ? new RegExp(own.cases) : null;
const keepDatabase = own["keep-database"] === true;
const explainOnly = own["explain-only"] === true;
const db = reuseUrl
  ? (() => {
      const prisma = createPrismaClient(reuseUrl, { poolSize: 16 });
      return { url: reuseUrl, prisma, stop: () => prisma.$disconnect() };
    })()
  : await benchDatabase("reads");
const raw = new pg.Client({ connectionString: db.url });
let server: Awaited<ReturnType<typeof startAppServer>> | null = null;
try {
  let estate: { buckets: number; findings: number };
  if (reuseUrl) {
    const [buckets, findings, accounts] = await Promise.all([
      db.prisma.bucket.count(),
      db.prisma.macieFinding.count(),
      db.prisma.account.count(),
    ]);
    estate = { buckets, findings };
    console.log(
      `existing estate at ${reuseUrl}: ${accounts.toLocaleString("en")} accounts, ${buckets.toLocaleString("en")} buckets, ${findings.toLocaleString("en")} findings`,
    );
  } else {
    estate = await buildLargeEstate(db.prisma, db.url, { ...args, baseAccounts: args.baseAccounts });
    console.log(
      `(the estate beyond the base is SQL copies of synced rows plus synthetic findings — see bench/support/large-estate.ts)`,
    );
    if (keepDatabase) console.log(`keeping the estate: rerun with --database ${db.url}`);
  }
  await raw.connect();

  const sample = await raw.query<{
    id: number;
    account_id: string;
    region: string;
    owner_tag: string | null;
    ou_path: string;
    name: string;
    level_key: string;
  }>(
    `SELECT b.id, b.account_id, b.region, b.owner_tag, a.ou_path, b.name, b.level_key FROM bucket b JOIN account a ON a.id = b.account_id
      WHERE b.gone_at IS NULL AND b.macie_findings > 0 AND b.owner_tag IS NOT NULL AND a.ou_path <> '' ORDER BY b.id LIMIT 1 OFFSET (SELECT COUNT(*) / 20 FROM bucket)`,
  );
  const s = sample.rows[0]!;
  const tag = await raw.query<{ k: string; v: string }>(
    `SELECT k, v FROM bucket b, jsonb_each_text(b.tags) AS t(k, v) WHERE b.id = $1 AND k <> 'Owner' LIMIT 1`,
    [s.id],
  );
  const tagKey = tag.rows[0]?.k ?? "Environment";
  const tagValue = tag.rows[0]?.v ?? "production";
  const deepPage = Math.max(2, Math.floor(estate.buckets / 50 / 2)); // page 1000 at 100,000 buckets
  console.log(`deep page: ${deepPage} (of ${Math.ceil(estate.buckets / 50)} at 50 per page)`);

  const cases: Case[] = [];
  const sorts = ["risk", "name", "account", "region", "level", "lastSeen"] as const;
  for (const sort of sorts) {
    for (const dir of ["asc", "desc"] as const) {
      cases.push({ name: `buckets sort=${sort} ${dir} p1`, path: `/buckets?sort=${sort}&dir=${dir}`, kind: "list" });
      cases.push({
        name: `buckets sort=${sort} ${dir} p${deepPage}`,
        path: `/buckets?sort=${sort}&dir=${dir}&page=${deepPage}`,
        kind: "list",
      });
    }
  }
  const filters: [string, string][] = [
    ["account", `account=${s.account_id}`],
    ["region", `region=${s.region}`],
    ["level", `level=${s.level_key}`],
    ["source=fallback", "source=fallback"],
    ["exposure=public", "exposure=public"],
    ["q (name contains)", `q=${encodeURIComponent(s.name.slice(3, 10))}`],
    ["q (rare text)", "q=zz-not-a-bucket"],
    ["ou", `ou=${encodeURIComponent(s.ou_path)}`],
    ["control fail", "control=https-only"],
    ["control pass", "control=encryption-at-rest&status=pass"],
    ["observed fail", "control=sensitive-data-matches-level&observed=fail"],
    ["config=disagree", "config=disagree"],
    ["macie=high", "macie=high"],
    ["tag=Key", `tag=${encodeURIComponent(tagKey)}`],
    ["tag=Key=Value", `tag=${encodeURIComponent(`${tagKey}=${tagValue}`)}`],
    ["owner", `owner=${encodeURIComponent(s.owner_tag!)}`],
    ["unowned", "unowned=1"],
    ["failing", "failing=1"],
    ["unknown", "unknown=1"],
    ["waived", "waived=1"],
    ["compliant=yes", "compliant=yes"],
    ["failing + level + exposure", `failing=1&level=${s.level_key}&exposure=not-public`],
  ];
  for (const [name, q] of filters) cases.push({ name: `buckets ${name} p1`, path: `/buckets?${q}`, kind: "list" });
  for (const [name, q] of filters.filter(([n]) =>
    ["failing", "control fail", "source=fallback", "region"].includes(n),
  )) {
    cases.push({ name: `buckets ${name} p20`, path: `/buckets?${q}&page=20`, kind: "list" });
  }
  cases.push(
    { name: "findings p1", path: "/findings", kind: "list" },
    { name: "findings severity=High p1", path: "/findings?severity=High", kind: "list" },
    { name: `findings p1000`, path: "/findings?page=1000", kind: "list" },
    { name: "overview", path: "/overview", kind: "aggregate" },
    { name: "coverage by account", path: "/coverage", kind: "aggregate" },
    { name: "coverage by ou", path: "/coverage?by=ou", kind: "aggregate" },
    { name: "coverage by owner", path: "/coverage?by=owner", kind: "aggregate" },
    { name: "bucket page", path: `/buckets/${s.id}`, kind: "page" },
    {
      name: "account search (filter box)",
      path: `/api/account-options?q=${encodeURIComponent(s.account_id.slice(3, 8))}`,
      kind: "list",
    },
  );

  // --- plans of the main statements (the DAL's own SQL) ---
  const explain = async (title: string, sql: Prisma.Sql, steered = false) => {
    // steered: planned as the DAL runs it (countPrefersTrigramIndex: index-only scans off for that statement).
    if (steered) await raw.query("BEGIN; SET LOCAL enable_indexonlyscan = off");
    const { rows } = await raw.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
      sql.values as unknown[],
    );
    if (steered) await raw.query("COMMIT");
    const plan = rows.map((r) => r["QUERY PLAN"]);
    const seq = plan.filter((l) => /Seq Scan on (bucket|control_result|macie_finding)\b/.test(l)).length;
    console.log(`\n--- EXPLAIN ${title}${seq ? `   ⚠ ${seq} sequential scan(s) of a large table` : ""}`);
    for (const l of plan) console.log(`    ${l}`);
  };
  const q = (params: Record<string, string>) => BucketQuerySchema.parse(params);
  const plans: [string, Record<string, string>][] = [
    ["list: default (risk desc), page 1", {}],
    [`list: default (risk desc), page ${deepPage}`, { page: String(deepPage) }],
    [`list: sort=name, page ${deepPage}`, { sort: "name", page: String(deepPage) }],
    ["list: q (name contains)", { q: s.name.slice(3, 10) }],
    ["list: control=https-only (fail)", { control: "https-only" }],
    ["list: failing=1, level", { failing: "1", level: s.level_key }],
    ["list: sort=level (rank), page 1", { sort: "level" }],
    ["list: sort=lastSeen (accounts in read order), page 1", { sort: "lastSeen" }],
    [`list: sort=lastSeen, page ${deepPage}`, { sort: "lastSeen", page: String(deepPage) }],
    ["list: failing=1 (count of a broad view)", { failing: "1" }],
  ];
  for (const [title, params] of plans) {
    const sql = bucketListSql(q(params));
    await explain(`${title} — rows`, sql.rows);
    if (
      title.includes("page 1") ||
      title.startsWith("list: q") ||
      title.startsWith("list: control") ||
      title.includes("count")
    ) {
      const steered = countPrefersTrigramIndex(q(params));
      await explain(
        `${title} — count${steered ? " (index-only scans off, as the DAL runs it)" : ""}`,
        sql.count,
        steered,
      );
    }
  }
  await explain(
    "findings: count of every unarchived finding (sum of macie_finding_count)",
    findingCountSql(FindingQuerySchema.parse({})),
  );
  const levels = await db.prisma.classificationLevel.findMany({
    where: { schemeVersion: (await db.prisma.schemeVersion.findFirst({ orderBy: { version: "desc" } }))!.version },
    select: { key: true, name: true },
  });
  await explain("overview counters (maintained counters)", postureCountsSql(postureCounters(levels)));
  await explain("overview: failing results per control (control_tally)", FAILING_BY_CONTROL_SQL);

  if (explainOnly) throw new ExplainOnly();

  // --- HTTP ---
  server = await startAppServer(db.prisma, db.url);

  // Deep pages as the UI reaches them: the "Next" link of the page before (a keyset cursor, when the app has one),
  // measured next to the same page by number (OFFSET).
  const nextLink = async (pathname: string): Promise<string | null> => {
    const r = await fetch(server!.base + pathname, { headers: { cookie: server!.cookie } });
    const html = await r.text();
    const m = /href="(\/buckets\?[^"]*after=[^"]*)"[^>]*>\s*Next/.exec(html);
    return m ? m[1]!.replace(/&amp;/g, "&") : null;
  };
  for (const c of [...cases]) {
    const m = /^buckets sort=(\w+) (asc|desc) p(\d+)$/.exec(c.name);
    if (!m || Number(m[3]) === 1) continue;
    const link = await nextLink(`/buckets?sort=${m[1]}&dir=${m[2]}&page=${deepPage - 1}`);
    if (link)
      cases.splice(cases.indexOf(c) + 1, 0, {
        name: `buckets sort=${m[1]} ${m[2]} p${deepPage} via Next`,
        path: link,
        kind: "list",
      });
  }
  const keysetLink = await nextLink(`/buckets?page=${deepPage - 1}`);
  if (keysetLink) {
    const params = Object.fromEntries(new URL(keysetLink, server.base).searchParams);
    await explain(
      `list: default (risk desc), page ${deepPage} via Next (keyset cursor) — rows`,
      bucketListSql(q(params)).rows,
    );
  } else console.log("\n(no keyset Next links in this build: deep pages only by OFFSET)");
  console.log(`
${"case".padEnd(44)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"target".padStart(7)}  KB (HTML)`);
  const misses: string[] = [];
  const results: { name: string; p50: number; p95: number; kind: Kind }[] = [];
  for (const c of cases) {
    if (caseFilter && !caseFilter.test(c.name)) continue;
    for (let i = 0; i < 3; i++) {
      const w = await server.get(c.path);
      if (w.status !== 200) throw new Error(`${c.path} → HTTP ${w.status}`);
    }
    const one = await server.get(c.path);
    const times: number[] = [];
    for (let i = 0; i < args.requests; i++) times.push((await server.get(c.path)).ms);
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const target = c.kind === "aggregate" ? 300 : c.kind === "list" ? 100 : 300;
    if (p95 >= target) misses.push(`${c.name} (${p95.toFixed(0)} ms)`);
    results.push({ name: c.name, p50, p95, kind: c.kind });
    console.log(
      `${c.name.padEnd(44)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${String(target).padStart(7)}  ${(one.bytes / 1024).toFixed(0)}${p95 >= target ? "   ← MISS" : ""}`,
    );
  }
  // --- statements per page: Postgres's transaction counter for this database around 5 requests (each autocommit
  // statement is one transaction). Backends report their counters when idle, within 10 s, hence the waits. A list
  // page of 25 and of 100 rows issuing the same number of statements shows there is no query per row.
  const xacts = async () =>
    Number(
      (
        await raw.query<{ n: string }>(
          "SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()",
        )
      ).rows[0]!.n,
    );
  const settle = () => new Promise((r) => setTimeout(r, 11_000));
  if (!caseFilter) console.log("\nstatements per request (pg_stat_database, 5 requests each):");
  for (const c of caseFilter
    ? []
    : [
        { name: "buckets, 25 rows", path: "/buckets?pageSize=25" },
        { name: "buckets, 100 rows", path: "/buckets?pageSize=100" },
        { name: "findings, 50 rows", path: "/findings" },
        { name: "overview", path: "/overview" },
        { name: "coverage", path: "/coverage" },
        { name: "bucket page", path: `/buckets/${s.id}` },
      ]) {
    await settle();
    const before = await xacts();
    for (let i = 0; i < 5; i++) await server.get(c.path);
    await settle();
    console.log(`   ${c.name.padEnd(20)} ${((await xacts()) - before - 1) / 5}`);
  }

  const worst = (k: Kind) =>
    results
      .filter((r) => r.kind === k)
      .reduce((m, r) => (r.p95 > m.p95 ? r : m), { name: "-", p95: 0 } as { name: string; p95: number });
  console.log(`
worst list p95: ${worst("list").p95.toFixed(0)} ms (${worst("list").name}); worst aggregate p95: ${worst("aggregate").p95.toFixed(0)} ms (${worst("aggregate").name})`);
  verdict(
    misses.length === 0,
    misses.length === 0
      ? `every list p95 < 100 ms and every aggregate p95 < 300 ms at ${estate.buckets.toLocaleString("en")} buckets / ${estate.findings.toLocaleString("en")} findings`
      : `${misses.length} case(s) over target: ${misses.join("; ")}`,
  );
} catch (error) {
  if (!(error instanceof ExplainOnly)) {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  await server?.stop();
  await raw.end().catch(() => undefined);
  // A kept estate stays: only the client goes (stop() would drop the scratch database).
  if (keepDatabase && !reuseUrl) await db.prisma.$disconnect();
  else await db.stop();
}
process.exit(process.exitCode ?? 0);
