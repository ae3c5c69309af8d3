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

    await db.prisma.account.create({ data: link("222222222222") });
    expect((await trustAndOrganization(db.prisma)).trusted).toEqual(["111111111111", "222222222222"]);

    await db.prisma.appSetting.create({ data: { key: "trustedAccountIds", value: ["444455556666", "o-abc123def4"] } });
    const withExtra = await trustAndOrganization(db.prisma);
    expect(withExtra.trusted).toContain("444455556666");
    expect(withExtra.organization.organizationId).toBe("o-abc123def4");

    await db.prisma.account.delete({ where: { id: "222222222222" } });
    expect((await trustAndOrganization(db.prisma)).organization.accountIds).toEqual(["111111111111"]);
  });
});
