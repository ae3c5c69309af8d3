/**
 * The Third parties register against the demo organisation in real Postgres: the partner outside the organisation
 * reads the partner-exchange bucket (bucket AND key grant it), the register agrees with the bucket list's "Reachable
 * from outside the organisation", an admin names vendors (not the organisation's own accounts), the CSV export
 * neutralises formula cells, and roles without the permission are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoOrganisation } from "@/lib/demo/load-demo";
import { EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID, EXTERNAL_PARTNER_ACCOUNT_ID } from "@/lib/sources/fixture/bucket-traits";
import { organizationTrail } from "@/lib/sources/cloudtrail/fixture";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { countBuckets } from "@/lib/server/dal/buckets";
import { listThirdParties, nameVendor, streamThirdPartiesCsv } from "@/lib/server/dal/third-parties";
import type { Actor } from "@/lib/server/permissions";
import { scratchDb } from "../support/scratch-db";

let db: Awaited<ReturnType<typeof scratchDb>>;
let admin: Actor;
let lead: Actor;
let manager: Actor;

beforeAll(async () => {
  process.env.CUSTODY_DEMO_PASSWORD = "integration-demo-password";
  db = await scratchDb("third-parties");
  await loadDemoOrganisation(db.prisma, { historyDays: 1 });
  process.env.DATABASE_URL = db.url;
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  const users = await db.prisma.user.findMany({ select: { id: true, email: true, name: true, role: true } });
  const user = (role: string) => users.find((u) => u.role === role)!;
  admin = { ...user("admin"), role: "admin" };
  lead = { ...user("security_lead"), role: "security-lead" };
  manager = { ...user("manager"), role: "manager" };
}, 300_000);
afterAll(async () => {
  const shared = (globalThis as { custodyDb?: { $disconnect(): Promise<void> } }).custodyDb;
  await shared?.$disconnect();
  delete (globalThis as { custodyDb?: unknown }).custodyDb;
  await db.drop();
});

async function csvText(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("third parties", () => {
  it("lists the partner with an effective read on the partner-exchange bucket, first seen, unnamed", async () => {
    const parties = await listThirdParties(lead);
    const partner = parties.find((p) => p.principal === EXTERNAL_PARTNER_ACCOUNT_ID)!;
    expect(partner).toMatchObject({ kind: "account", vendorName: null });
    expect(partner.firstSeenAt).toBeInstanceOf(Date);
    expect(partner.buckets).toContainEqual(
      expect.objectContaining({ bucketName: DEMO_SPECIAL_BUCKETS.crossAccountRead, read: "effective" }),
    );
  });

  it("shows the partner's read of a High bucket as effective and its grant the key blocks as blocked", async () => {
    const partner = (await listThirdParties(lead)).find((p) => p.principal === EXTERNAL_PARTNER_ACCOUNT_ID)!;
    const exchange = await db.prisma.bucket.findFirstOrThrow({
      where: { name: DEMO_SPECIAL_BUCKETS.crossAccountRead },
    });
    expect(exchange.levelKey).toBe("high");
    expect(partner.buckets).toContainEqual(
      expect.objectContaining({
        bucketName: DEMO_SPECIAL_BUCKETS.partnerBlockedByKey,
        read: "blocked-by-key",
        keyOnly: false,
      }),
    );
    expect(partner).toMatchObject({ effectiveRead: 1, blockedByKey: 1 });
  });

  it("leaves out the bucket shared inside the organisation by aws:PrincipalOrgID", async () => {
    const parties = await listThirdParties(lead);
    expect(parties.flatMap((p) => p.buckets.map((b) => b.bucketName))).not.toContain(DEMO_SPECIAL_BUCKETS.orgShared);
    const shared = await db.prisma.bucket.findFirstOrThrow({ where: { name: DEMO_SPECIAL_BUCKETS.orgShared } });
    expect(shared.exposure).toBe("not-public");
  });

  it("lists an outsider that only a trail's KMS key lets decrypt, with the key and its trail", async () => {
    const trailKey = organizationTrail(generateFixtureEstate(DEMO_FIXTURE_OPTIONS)).trail.KmsKeyId!;
    const vendor = (await listThirdParties(lead)).find((p) => p.principal === EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID)!;
    expect(vendor).toMatchObject({ kind: "account", vendorName: null, buckets: [] });
    expect(vendor.keys).toEqual([
      expect.objectContaining({
        keyArn: trailKey,
        aliases: ["alias/organization-trail"],
        // The management account's own trail encrypts with the same key.
        trails: ["organization-trail", "security-alerts"],
        reason: expect.stringContaining("kms:Decrypt"),
      }),
    ]);
    const csv = await csvText(await streamThirdPartiesCsv(lead));
    expect(csv.split("\n").find((l) => l.startsWith(EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID))).toMatch(
      new RegExp(`,true,.*,${trailKey}$`),
    );
  });

  it("agrees with the bucket list's 'Reachable from outside the organisation'", async () => {
    const parties = await listThirdParties(lead);
    const reachable = new Set(
      parties.flatMap((p) =>
        p.buckets.filter((b) => b.read === "effective" || b.write === "effective").map((b) => b.bucketId),
      ),
    );
    expect(await countBuckets(lead, { exposure: "outside" })).toBe(reachable.size);
    expect(reachable.size).toBeGreaterThan(0);
  });

  it("lets an admin name a vendor, refuses the organisation's own accounts and other roles", async () => {
    await expect(nameVendor(lead, { accountId: EXTERNAL_PARTNER_ACCOUNT_ID, name: "Acme" })).rejects.toMatchObject({
      code: "forbidden",
    });
    const own = (await db.prisma.account.findFirstOrThrow()).id;
    await expect(nameVendor(admin, { accountId: own, name: "Ourselves" })).rejects.toMatchObject({
      code: "invalid_input",
    });
    const named = await nameVendor(admin, { accountId: EXTERNAL_PARTNER_ACCOUNT_ID, name: "=HYPERLINK(1)" });
    expect(named).toMatchObject({ previousName: null });
    const partner = (await listThirdParties(lead)).find((p) => p.principal === EXTERNAL_PARTNER_ACCOUNT_ID)!;
    expect(partner.vendorName).toBe("=HYPERLINK(1)");

    const csv = await csvText(await streamThirdPartiesCsv(lead));
    const [header, ...lines] = csv.trim().split("\n");
    expect(header).toBe(
      "principal,kind,vendor,first_seen_at,bucket_account_id,bucket,read,write,key_only,reason,trail_key",
    );
    expect(lines.find((l) => l.startsWith(EXTERNAL_PARTNER_ACCOUNT_ID))).toContain(",'=HYPERLINK(1),");
    await nameVendor(admin, { accountId: EXTERNAL_PARTNER_ACCOUNT_ID, name: "Acme Backup Ltd" });
    // Every name given is kept, in order: an evidence bundle names the vendor as it was named at its snapshot.
    const names = await db.prisma.knownVendorName.findMany({
      where: { accountId: EXTERNAL_PARTNER_ACCOUNT_ID },
      orderBy: { id: "asc" },
      select: { name: true, namedBy: true },
    });
    expect(names).toEqual([
      { name: "=HYPERLINK(1)", namedBy: admin.email },
      { name: "Acme Backup Ltd", namedBy: admin.email },
    ]);
  });

  it("refuses the register to managers", async () => {
    await expect(listThirdParties(manager)).rejects.toMatchObject({ code: "forbidden" });
    await expect(streamThirdPartiesCsv(manager)).rejects.toMatchObject({ code: "forbidden" });
  });
});
