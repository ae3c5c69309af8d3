/**
 * The demo organisation: one user per role and a generated AWS estate, loaded through the REAL ingest path —
 * the fixture AWS answers the same SDK commands the collectors send in production, and everything after that
 * (transform, load, evaluation) is the production code. Nothing here writes buckets directly.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { customDataDir } from "@/lib/db/embedded-postgres";
import type { Db } from "@/lib/db/prisma";
import { settingsFrom } from "@/lib/env";
import { checkPasswordStrength } from "@/lib/auth/password-policy";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";
import { generateDemoHistory } from "@/lib/demo/demo-history";
import { DEMO_USERS } from "@/lib/demo/demo-users";
import { roleToDb } from "@/lib/roles";
import { runSync } from "@/lib/sync/run-sync";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";

const loginsFile = () => path.join(customDataDir(), "demo-logins.json");

function demoPassword(): string {
  const fromEnv = settingsFrom().CUSTODY_DEMO_PASSWORD;
  if (fromEnv) {
    // An operator-chosen password meets the same policy as any other (the generated one below always does).
    for (const u of DEMO_USERS) {
      const strength = checkPasswordStrength(fromEnv, u);
      if (!strength.ok) throw new Error(`CUSTODY_DEMO_PASSWORD is not accepted: ${strength.message}`);
    }
    return fromEnv;
  }
  if (existsSync(loginsFile()))
    return (JSON.parse(readFileSync(loginsFile(), "utf8")) as { password: string }).password;
  const generated = randomBytes(12).toString("base64url");
  mkdirSync(customDataDir(), { recursive: true });
  writeFileSync(loginsFile(), JSON.stringify({ password: generated }, null, 2), { mode: 0o600 });
  return generated;
}

export async function isDatabaseEmpty(client: Db): Promise<boolean> {
  const [accounts, users] = await Promise.all([client.account.count(), client.user.count()]);
  return accounts === 0 && users === 0;
}

/** Make the demo users' password the current demo password (CUSTODY_DEMO_PASSWORD may change between starts). */
export async function ensureDemoPasswords(client: Db): Promise<void> {
  const password = demoPassword();
  const users = await client.user.findMany({
    where: { email: { in: DEMO_USERS.map((u) => u.email) } },
    select: { id: true, passwordHash: true },
  });
  for (const u of users) {
    if (!(await verifyPassword(u.passwordHash, password))) {
      await client.user.update({ where: { id: u.id }, data: { passwordHash: await hashPassword(password) } });
    }
  }
}

export async function demoLoginLines(client: Db): Promise<string[]> {
  const users = await client.user.findMany({
    where: { email: { in: DEMO_USERS.map((u) => u.email) } },
    select: { email: true },
  });
  if (users.length === 0) return [];
  return [
    `demo logins (password: ${demoPassword()}):`,
    ...DEMO_USERS.filter((d) => users.some((u) => u.email === d.email)).map((d) => `  ${d.email.padEnd(30)} ${d.role}`),
  ];
}

export async function loadDemoOrganisation(
  client: Db,
  options: { log?: (line: string) => void; historyDays?: number } = {},
): Promise<{ accounts: number; buckets: number; failedAccounts: number; syncRunId: string }> {
  const log = options.log ?? (() => {});
  await ensureDefaultScheme(client);

  const passwordHash = await hashPassword(demoPassword());
  for (const u of DEMO_USERS) {
    await client.user.upsert({
      where: { email: u.email },
      create: { email: u.email, name: u.name, role: roleToDb(u.role), passwordHash },
      update: {},
    });
  }

  const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
  for (const a of estate.accounts) {
    await client.account.upsert({
      where: { id: a.accountId },
      create: {
        id: a.accountId,
        name: a.name,
        ouPath: a.ouPath,
        owner: a.owner,
        roleArn: a.roleArn,
        externalId: a.externalId,
      },
      update: {},
    });
  }
  // The organisation's id goes on the allow-list (discovery does not read it): a bucket or key policy that shares
  // with aws:PrincipalOrgID is then judged shared inside the organisation, not with a stranger.
  const trusted = await client.appSetting.findUnique({ where: { key: "trustedAccountIds" } });
  const listed = Array.isArray(trusted?.value) ? (trusted.value as string[]) : [];
  if (!listed.includes(estate.organizationId)) {
    await client.appSetting.upsert({
      where: { key: "trustedAccountIds" },
      create: { key: "trustedAccountIds", value: [estate.organizationId] },
      update: { value: [...listed, estate.organizationId] },
    });
  }
  log(`linked ${estate.accounts.length} demo accounts; syncing them through the collectors …`);

  const connector = createFixtureConnector(estate);
  const run = await runSync(client, connector, {
    trigger: "demo",
    regions: estate.regions,
    onAccountDone: (o, done, total) =>
      log(`  [${done}/${total}] account ${o.accountId}: ${o.status}${o.error ? ` — ${o.error}` : ""}`),
  });
  await generateDemoHistory(client, { days: options.historyDays ?? 90 });
  const buckets = await client.bucket.count({ where: { goneAt: null } });
  return {
    accounts: estate.accounts.length,
    buckets,
    failedAccounts: run.outcomes.filter((o) => o.status === "failed").length,
    syncRunId: run.syncRunId,
  };
}
