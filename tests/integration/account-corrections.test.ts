/**
 * Issue 14 §8–9: a linked account can be corrected, re-tested and unlinked; `accounts:add --test` that fails leaves
 * nothing half-linked unless asked to; a test's warning is stored with what to change; a failed test is audited as a
 * failure. Against the fixture AWS (CUSTODY_FIXTURE_AWS=demo answers AssumeRole like AWS: a wrong ExternalId is
 * AccessDenied).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { testConnection } from "@/lib/server/dal/account-admin";
import type { Actor } from "@/lib/server/permissions";
import { linkAccount, testAccountConnection, unlinkAccount, updateAccount } from "@/lib/sync/accounts/link-accounts";
import { createFixtureDemoConnector } from "@/lib/sources/connector-factory";
import { demoUnlinkedAccounts } from "@/lib/sources/fixture/demo-organisation";
import { enqueueSync } from "@/lib/sync/jobs/enqueue-sync";
import { scratchDb } from "../support/scratch-db";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

let db: Awaited<ReturnType<typeof scratchDb>>;
let admin: Actor;
const [fresh, other] = demoUnlinkedAccounts();

beforeAll(async () => {
  db = await scratchDb("account_corrections");
  process.env.DATABASE_URL = db.url;
  process.env.CUSTODY_FIXTURE_AWS = "demo";
  const user = await db.prisma.user.create({
    data: { email: "admin@corrections.test", name: "Admin", role: "admin", passwordHash: "unused" },
  });
  admin = { id: user.id, email: user.email, name: user.name, role: "admin" };
});
afterAll(async () => {
  await db.drop();
});

function cli(script: string, args: string[]) {
  const r = spawnSync(TSX, ["--conditions=react-server", path.join(ROOT, "scripts", script), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, DATABASE_URL: db.url, CUSTODY_FIXTURE_AWS: "demo", CUSTODY_LOG_LEVEL: "silent" },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("accounts:add --test", () => {
  it("a failed test leaves nothing linked, and says how to fix it", () => {
    const r = cli("accounts-add.ts", ["--role-arn", fresh!.roleArn, "--external-id", "wrong-external-id", "--test"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Connection failed (AccessDenied)");
    expect(r.out).toContain("Nothing was linked");
  });
  it("…unless --keep asks to link it anyway", async () => {
    expect(await db.prisma.account.count({ where: { id: fresh!.accountId } })).toBe(0);
    const r = cli("accounts-add.ts", [
      "--role-arn",
      fresh!.roleArn,
      "--external-id",
      "wrong-external-id",
      "--test",
      "--keep",
    ]);
    expect(r.code).toBe(1);
    expect(
      await db.prisma.account.findUnique({
        where: { id: fresh!.accountId },
        select: { externalId: true, lastTestOk: true },
      }),
    ).toEqual({
      externalId: "wrong-external-id",
      lastTestOk: false,
    });
  });
});

describe("correcting an account", () => {
  it("a failed connection test is audited as a failure", async () => {
    const result = await testConnection(admin, fresh!.accountId);
    expect(result.ok).toBe(false);
    const audit = await db.prisma.auditEvent.findFirst({
      where: { action: "account.test-connection" },
      orderBy: { id: "desc" },
      select: { outcome: true },
    });
    expect(audit?.outcome).toBe("failure");
  });

  it("the ExternalId can be corrected (CLI), then the test passes and is audited as a success", async () => {
    const r = cli("accounts-update.ts", ["--account", fresh!.accountId, "--external-id", fresh!.externalId, "--test"]);
    expect(r.out).toContain("Connection OK");
    expect(r.code).toBe(0);
    expect((await testConnection(admin, fresh!.accountId)).ok).toBe(true);
    const audit = await db.prisma.auditEvent.findFirst({
      where: { action: "account.test-connection" },
      orderBy: { id: "desc" },
      select: { outcome: true },
    });
    expect(audit?.outcome).toBe("success");
  });

  it("a role ARN of another account is refused: the account id is the account's identity", async () => {
    const error = await updateAccount(db.prisma, fresh!.accountId, { roleArn: other!.roleArn }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe("invalid_input");
    expect((error as Error).message).toContain(`That role is in account ${other!.accountId}`);
  });

  it("a role that can be assumed without the ExternalId: the test stores a warning that says what to change", async () => {
    const lax = {
      testConnection: async () => ({
        ok: true as const,
        callerArn: "arn:aws:sts::x:assumed-role/r/s",
        accountId: fresh!.accountId,
        externalIdEnforced: false,
      }),
    };
    const result = await testAccountConnection(db.prisma, lax, fresh!.accountId);
    expect(result.warning).toContain(`"sts:ExternalId": "${fresh!.externalId}"`);
    const stored = await db.prisma.account.findUnique({
      where: { id: fresh!.accountId },
      select: { lastTestWarning: true },
    });
    expect(stored?.lastTestWarning).toBe(result.warning);
    // A later clean test clears it.
    await testAccountConnection(db.prisma, createFixtureDemoConnector(), fresh!.accountId);
    expect(
      (await db.prisma.account.findUnique({ where: { id: fresh!.accountId }, select: { lastTestWarning: true } }))
        ?.lastTestWarning,
    ).toBeNull();
  });
});

describe("unlinking", () => {
  it("stops syncing the account and keeps it; linking it again resumes it", async () => {
    await unlinkAccount(db.prisma, fresh!.accountId);
    expect(await db.prisma.account.findUnique({ where: { id: fresh!.accountId }, select: { enabled: true } })).toEqual({
      enabled: false,
    });
    const jobs: unknown[] = [];
    await enqueueSync(db.prisma, { insert: async (batch: unknown[]) => void jobs.push(...batch) } as never, {
      trigger: "manual",
    }).catch(() => null);
    // Unlinked: no job and no run row for it.
    expect(await db.prisma.syncRunAccount.count({ where: { accountId: fresh!.accountId } })).toBe(0);
    expect(JSON.stringify(jobs)).not.toContain(fresh!.accountId);
    await expect(
      linkAccount(db.prisma, { roleArn: fresh!.roleArn, externalId: fresh!.externalId }),
    ).resolves.toMatchObject({ id: fresh!.accountId });
    expect(
      await db.prisma.account.findUnique({
        where: { id: fresh!.accountId },
        select: { enabled: true, unlinkedAt: true },
      }),
    ).toEqual({ enabled: true, unlinkedAt: null });
  });
});
