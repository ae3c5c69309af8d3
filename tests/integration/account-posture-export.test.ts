/**
 * The Account posture CSV and the coverage page's account posture against the demo organisation in real Postgres:
 * the export reads accounts in keyset pages (the same lines whatever the page size), one line per stored verdict,
 * with the page's filters; the coverage counts agree with Account posture, the bucket list and Third parties they
 * link to; roles without the permission are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_CONTROL_IDS, BROKEN_TRAIL_CONTROL_ID } from "@/lib/domain/account-controls/catalog";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { AccountPostureQuerySchema } from "@/lib/schemas/account-posture-query";
import { CoverageQuerySchema } from "@/lib/schemas/coverage-query";
import { listAccountPosture, streamAccountPostureCsv } from "@/lib/server/dal/account-posture";
import { countBuckets } from "@/lib/server/dal/buckets";
import { countThirdPartiesInScope, getAccountPostureCoverage, getCoverage } from "@/lib/server/dal/coverage";
import { listThirdParties } from "@/lib/server/dal/third-parties";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let lead: Actor;
let manager: Actor;

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("account_posture_export");
  await loadDemoOrganisation(db.prisma, { historyDays: 1 });
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const user = (role: string) => users.find((u) => u.role === role)!;
  lead = { ...user("security_lead"), role: "security-lead" };
  manager = { ...user("manager"), role: "manager" };
}, 300_000);
afterAll(async () => {
  await (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb?.$disconnect();
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  await db.drop();
});

const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
const query = (raw: Record<string, string>) => AccountPostureQuerySchema.parse(raw);

describe("account posture export", () => {
  it("lists every stored verdict of the linked accounts, in id order, the same across keyset pages", async () => {
    const whole = await text(await streamAccountPostureCsv(lead, query({})));
    const paged = await text(await streamAccountPostureCsv(lead, query({}), { batch: 2 }));
    expect(paged).toBe(whole);
    const [header, ...lines] = whole.trim().split("\n");
    expect(header).toBe(
      "account_id,account,ou_path,control_id,control,status,reason,evidence,evaluated_at,sync_run_id",
    );
    const stored = await db.prisma.accountControlResult.count({ where: { account: { enabled: true } } });
    const accounts = await db.prisma.account.count({ where: { enabled: true, accountControlResults: { some: {} } } });
    expect(accounts).toBeGreaterThan(2); // more than one page of 2
    expect(lines).toHaveLength(stored);
    const ids = lines.map((l) => l.slice(0, 12));
    expect(ids).toEqual([...ids].sort());
    // Within an account, controls in the catalog's order.
    const first = lines.filter((l) => l.startsWith(ids[0]!)).map((l) => l.split(",")[3]);
    expect(first).toEqual(ACCOUNT_CONTROL_IDS.filter((id) => first.includes(id)));
  });

  it("applies the page's filters: accounts failing a control are exactly the page's", async () => {
    const filter = { control: BROKEN_TRAIL_CONTROL_ID, status: "fail" };
    const page = await listAccountPosture(lead, query(filter));
    const csv = await text(await streamAccountPostureCsv(lead, query(filter), { batch: 1 }));
    const ids = new Set(
      csv
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.slice(0, 12)),
    );
    expect(ids).toEqual(new Set(page.rows.map((r) => r.id)));
  });

  it("neutralises formula cells", async () => {
    const account = await db.prisma.account.findFirstOrThrow({
      where: { enabled: true, accountControlResults: { some: {} } },
    });
    await db.prisma.account.update({ where: { id: account.id }, data: { name: "=HYPERLINK(1)" } });
    const csv = await text(await streamAccountPostureCsv(lead, query({ q: account.id })));
    expect(csv.trim().split("\n")[1]).toContain(`${account.id},'=HYPERLINK(1),`);
    await db.prisma.account.update({ where: { id: account.id }, data: { name: account.name } });
  });

  it("refuses managers", async () => {
    await expect(streamAccountPostureCsv(manager, query({}))).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("coverage: account posture and third parties", () => {
  it("counts per control what Account posture lists, and per OU the accounts with a complete chain", async () => {
    const coverage = (await getAccountPostureCoverage(lead, CoverageQuerySchema.parse({ by: "ou" })))!;
    const all = await listAccountPosture(lead, query({}));
    expect(coverage.accounts).toBe(all.total);
    for (const c of coverage.controls) {
      const failing = await listAccountPosture(lead, query({ control: c.id, status: "fail" }));
      expect(c.fail, c.id).toBe(failing.total);
      expect(c.pass + c.fail + c.unknown + c.missing).toBe(coverage.accounts);
    }
    const complete = (r: (typeof all.rows)[number]) =>
      r.results[BROKEN_TRAIL_CONTROL_ID]?.status === "pass" && r.results["bucket-change-alerting"]?.status === "pass";
    expect(coverage.complete).toBe(all.rows.filter(complete).length);
    const ou = all.ous[0]!;
    const inOu = all.rows.filter((r) => r.ouPath === ou || r.ouPath.startsWith(`${ou}/`));
    expect(coverage.byGroup[ou]).toEqual({
      accounts: inOu.length,
      complete: inOu.filter(complete).length,
      failing: inOu.filter((r) => r.failing > 0).length,
    });
    // Per control, an OU scope: what /account-posture?ou=…&control=…&status=fail shows.
    const scoped = (await getAccountPostureCoverage(lead, CoverageQuerySchema.parse({ ou })))!;
    expect(scoped.accounts).toBe(inOu.length);
    // An owner scope has no account posture.
    expect(await getAccountPostureCoverage(lead, CoverageQuerySchema.parse({ owner: "payments-team" }))).toBeNull();
    // By account, limited to the accounts of a page of groups: those accounts' cells, the same counts.
    const byAccount = (await getAccountPostureCoverage(lead, CoverageQuerySchema.parse({ by: "account" })))!;
    const shownAccounts = all.rows.slice(0, 2).map((r) => r.id);
    const page = (await getAccountPostureCoverage(lead, CoverageQuerySchema.parse({ by: "account" }), {
      shownAccounts,
    }))!;
    expect(Object.keys(byAccount.byGroup).length).toBe(all.total);
    expect(page.byGroup).toEqual(Object.fromEntries(shownAccounts.map((id) => [id, byAccount.byGroup[id]])));
    expect({ ...page, byGroup: {} }).toEqual({ ...byAccount, byGroup: {} });
  });

  it("counts buckets reachable from outside and outsiders as the bucket list and Third parties show them", async () => {
    const byAccount = await getCoverage(lead, CoverageQuerySchema.parse({ by: "account" }));
    expect(byAccount.total.reachable).toBe(await countBuckets(lead, { exposure: "outside" }));
    expect(byAccount.total.reachable).toBeGreaterThan(0);
    const group = byAccount.groups.find((g) => g.reachable > 0)!;
    expect(group.reachable).toBe(await countBuckets(lead, { account: group.key!, exposure: "outside" }));
    const scope = CoverageQuerySchema.parse({ account: group.key! });
    expect(await countThirdPartiesInScope(lead, scope)).toBe(
      (await listThirdParties(lead, { account: group.key! })).length,
    );
    expect(await countThirdPartiesInScope(lead, CoverageQuerySchema.parse({}))).toBe(
      (await listThirdParties(lead)).length,
    );
    await expect(getAccountPostureCoverage(manager, scope)).rejects.toMatchObject({ code: "forbidden" });
    await expect(countThirdPartiesInScope(manager, scope)).rejects.toMatchObject({ code: "forbidden" });
  });
});
