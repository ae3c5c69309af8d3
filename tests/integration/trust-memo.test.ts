/**
 * The trusted-account list and the organisation are read once and reused while nothing changed (a sync of 10,000
 * accounts evaluates account by account: issue 19) — also while the sync updates the accounts' rows — and read again as
 * soon as an account is linked or removed or the allow-list changes: a stale list would misjudge a cross-account grant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustAndOrganization } from "@/lib/evaluation/evaluation-context";
import { scratchDb } from "../support/scratch-db";

const link = (id: string) => ({
  id,
  name: `acct-${id}`,
  roleArn: `arn:aws:iam::${id}:role/CustodyReadOnly`,
  externalId: "x",
});

describe("trustAndOrganization", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  beforeAll(async () => {
    db = await scratchDb("trust_memo");
    await db.prisma.account.create({ data: link("111111111111") });
  });
  afterAll(async () => db.drop());

  it("reuses the lists while nothing changed, and reads them again when accounts or the allow-list change", async () => {
    const first = await trustAndOrganization(db.prisma);
    expect(first.trusted).toEqual(["111111111111"]);
    expect(await trustAndOrganization(db.prisma)).toBe(first); // the same object: not read again

    // What every account job of a sync writes (its status, account settings, evaluation time) changes no list.
    await db.prisma.account.update({
      where: { id: "111111111111" },
      data: { lastSyncStatus: "succeeded", lastSyncAt: new Date(), evaluatedAt: new Date() },
    });
    expect(await trustAndOrganization(db.prisma)).toBe(first);
    // Nor does linking again an account already linked (an upsert that inserts nothing).
    await db.prisma.$executeRaw`INSERT INTO account (id, name, role_arn, external_id, updated_at)
      VALUES ('111111111111', 'again', 'arn:aws:iam::111111111111:role/CustodyReadOnly', 'x', now())
      ON CONFLICT (id) DO NOTHING`;
    expect(await trustAndOrganization(db.prisma)).toBe(first);

    await db.prisma.account.create({ data: link("222222222222") });
    expect((await trustAndOrganization(db.prisma)).trusted).toEqual(["111111111111", "222222222222"]);

    await db.prisma.appSetting.create({ data: { key: "trustedAccountIds", value: ["444455556666", "o-abc123def4"] } });
    const withExtra = await trustAndOrganization(db.prisma);
    expect(withExtra.trusted).toContain("444455556666");
    expect(withExtra.organization.organizationId).toBe("o-abc123def4");

    await db.prisma.account.delete({ where: { id: "222222222222" } });
    expect((await trustAndOrganization(db.prisma)).organization.accountIds).toEqual(["111111111111"]);
  });

  it("reads one number per evaluation while the accounts stay the same, and never goes stale without it", async () => {
    const version = async () =>
      Number((await db.prisma.$queryRaw<{ v: bigint }[]>`SELECT version AS v FROM account_set_version`)[0]!.v);
    const before = await version();
    await db.prisma.account.createMany({ data: [link("333333333333"), link("444444444444")] });
    expect(await version()).toBe(before + 1); // one statement, one move
    expect((await trustAndOrganization(db.prisma)).organization.accountIds).toContain("444444444444");

    // Without the row (never expected) the stamp summarises the ids instead: still read again on a change.
    await db.prisma.$executeRaw`DELETE FROM account_set_version`;
    await trustAndOrganization(db.prisma);
    await db.prisma.account.delete({ where: { id: "444444444444" } });
    expect((await trustAndOrganization(db.prisma)).organization.accountIds).not.toContain("444444444444");
  });
});
