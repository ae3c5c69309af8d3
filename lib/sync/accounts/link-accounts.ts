/**
 * Linking accounts: by role ARN, by organisation discovery, and "Test connection". Shared by the DAL (which
 * authorizes and audits) and the CLI. Errors a user can cause are AppErrors with a plain-words message.
 */
import { AssumeRoleError, type AccountRef, type ConnectionTestResult } from "@/lib/sources/shared/connector";
import { discoverOrganizationAccounts, type OrganizationAccount } from "@/lib/sources/organizations/collect";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import {
  accountIdOfRoleArn,
  type AddAccountInput,
  type DiscoverInput,
  type UpdateAccountInput,
} from "@/lib/schemas/accounts";
import { installationExternalId } from "@/lib/sync/accounts/external-id";
import type { CustodyConnector } from "@/lib/sources/connector-factory";

const ACCOUNT_SELECT = { id: true, name: true, roleArn: true, externalId: true } as const;

/** Link an account by role ARN. An account that was unlinked before is linked again with the new values. */
export async function linkAccount(client: Db, input: AddAccountInput & { ouPath?: string; linkedBy?: string }) {
  const id = accountIdOfRoleArn(input.roleArn);
  const existing = await client.account.findUnique({ where: { id }, select: { name: true, enabled: true } });
  if (existing?.enabled) {
    throw new AppError(
      "conflict",
      `Account ${id} is already linked (as “${existing.name}”). To correct its role ARN or ExternalId, edit it (npm run accounts:update).`,
    );
  }
  const externalId = input.externalId ?? (await installationExternalId(client));
  if (existing) {
    return client.account.update({
      where: { id },
      data: {
        name: input.name ?? existing.name,
        roleArn: input.roleArn,
        externalId,
        enabled: true,
        unlinkedAt: null,
        lastTestAt: null,
        lastTestOk: null,
        lastTestMessage: null,
        lastTestWarning: null,
      },
      select: ACCOUNT_SELECT,
    });
  }
  return client.account.create({
    data: {
      id,
      name: input.name ?? id,
      roleArn: input.roleArn,
      externalId,
      ouPath: input.ouPath ?? "",
      linkedBy: input.linkedBy ?? "manual",
    },
    select: ACCOUNT_SELECT,
  });
}

/**
 * Correct a linked account (a wrong role name or ExternalId leaves it unreadable). The role must stay in the same
 * account: the account id is the record's identity, its buckets and history hang off it. The last test result is
 * cleared, since it tested other values.
 */
export async function updateAccount(client: Db, accountId: string, input: UpdateAccountInput) {
  const account = await client.account.findUnique({ where: { id: accountId }, select: { id: true, enabled: true } });
  if (!account || !account.enabled) throw new AppError("not_found", `Account ${accountId} is not linked.`);
  if (input.roleArn && accountIdOfRoleArn(input.roleArn) !== accountId) {
    throw new AppError(
      "invalid_input",
      `That role is in account ${accountIdOfRoleArn(input.roleArn)}, not ${accountId}. A role ARN names its account: to read another account, link it; to stop reading this one, unlink it.`,
    );
  }
  const credentialsChanged = input.roleArn !== undefined || input.externalId !== undefined;
  return client.account.update({
    where: { id: accountId },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      ...(credentialsChanged
        ? { lastTestAt: null, lastTestOk: null, lastTestMessage: null, lastTestWarning: null }
        : {}),
    },
    select: ACCOUNT_SELECT,
  });
}

/**
 * Unlink: the account stops being synced (scheduled, Sync now, the CLI) and leaves the Accounts list; everything
 * read so far stays (buckets as last read, sync history, audit). Linking it again resumes it.
 */
export async function unlinkAccount(client: Db, accountId: string) {
  const account = await client.account.findUnique({
    where: { id: accountId },
    select: { id: true, name: true, enabled: true },
  });
  if (!account || !account.enabled) throw new AppError("not_found", `Account ${accountId} is not linked.`);
  await client.account.update({ where: { id: accountId }, data: { enabled: false, unlinkedAt: new Date() } });
  return { id: account.id, name: account.name };
}

/** Remove an account that was linked a moment ago and never read (a failed `accounts:add --test`): nothing to keep. */
export async function forgetNewAccount(client: Db, accountId: string): Promise<void> {
  await client.account.deleteMany({ where: { id: accountId, lastSyncAt: null, lastSuccessAt: null } });
}

/** What a successful test found to fix, in words that say what to change. */
export function externalIdWarning(externalId: string): string {
  return (
    "The role can also be assumed WITHOUT the ExternalId, so any AWS account that learns its ARN could use it through a " +
    "service like Custody (the confused-deputy problem). Add this condition to the role's trust policy statement: " +
    `"Condition": {"StringEquals": {"sts:ExternalId": "${externalId}"}} — or redeploy the read-only role template, which has it.`
  );
}

/** AssumeRole + GetCallerIdentity; the outcome (its explanation, and any warning) is remembered on the account. */
export async function testAccountConnection(
  client: Db,
  connector: Pick<CustodyConnector, "testConnection">,
  accountId: string,
): Promise<ConnectionTestResult & { warning: string | null }> {
  const account = await client.account.findUnique({
    where: { id: accountId },
    select: { id: true, roleArn: true, externalId: true },
  });
  if (!account) throw new AppError("not_found", `Account ${accountId} is not linked.`);
  const result = await connector.testConnection({
    accountId: account.id,
    roleArn: account.roleArn,
    externalId: account.externalId,
  });
  const warning = result.ok && result.externalIdEnforced === false ? externalIdWarning(account.externalId) : null;
  const message = result.ok ? `Connected as ${result.callerArn}.` : `${result.code}: ${result.explanation}`;
  await client.account.update({
    where: { id: account.id },
    data: { lastTestAt: new Date(), lastTestOk: result.ok, lastTestMessage: message, lastTestWarning: warning },
  });
  return { ...result, warning };
}

export interface DiscoveryResult {
  fromAccountId: string;
  found: number;
  linked: { id: string; name: string; ouPath: string }[];
  updated: number;
  skipped: { id: string; name: string; reason: string }[];
}

/**
 * List the organisation from a linked management or delegated-administrator account and link every active account
 * not linked yet, with the role arn:<partition>:iam::<id>:role/<roleName>. Existing accounts get their OU path and
 * name refreshed. Without `fromAccountId`, every linked account is tried until one may list the organisation.
 */
export async function discoverAndLinkAccounts(
  client: Db,
  connector: Pick<CustodyConnector, "organizations">,
  input: DiscoverInput,
): Promise<DiscoveryResult> {
  const candidates = await client.account.findMany({
    where: { enabled: true, ...(input.fromAccountId ? { id: input.fromAccountId } : {}) },
    select: { id: true, roleArn: true, externalId: true },
    orderBy: { id: "asc" },
  });
  if (input.fromAccountId && candidates.length === 0)
    throw new AppError(
      "invalid_input",
      `Account ${input.fromAccountId} is not linked; link the management account first.`,
    );
  if (candidates.length === 0)
    throw new AppError(
      "invalid_input",
      "Link the organisation's management (or delegated-administrator) account first, then discover from it.",
    );

  let listed: OrganizationAccount[] | null = null;
  let from: AccountRef | null = null;
  const failures: string[] = [];
  for (const c of candidates) {
    const ref = { accountId: c.id, roleArn: c.roleArn, externalId: c.externalId };
    try {
      listed = await discoverOrganizationAccounts(await connector.organizations(ref));
      from = ref;
      break;
    } catch (error) {
      failures.push(
        `${c.id}: ${error instanceof AssumeRoleError ? error.explanation : error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
  }
  if (!listed || !from) {
    throw new AppError(
      "invalid_input",
      `No linked account may list the organisation (it must be the management account or a delegated administrator, and its role needs organizations:ListAccounts, ListParents and DescribeOrganizationalUnit). ${failures.slice(0, 3).join(" · ")}`,
    );
  }

  const partition = /^arn:([^:]+):/.exec(from.roleArn)?.[1] ?? "aws";
  const externalId = input.externalId ?? (await installationExternalId(client));
  const existing = new Set(
    (
      await client.account.findMany({ where: { id: { in: listed.map((a) => a.accountId) } }, select: { id: true } })
    ).map((a) => a.id),
  );
  const result: DiscoveryResult = {
    fromAccountId: from.accountId,
    found: listed.length,
    linked: [],
    updated: 0,
    skipped: [],
  };
  for (const a of listed) {
    if (a.state && a.state !== "ACTIVE") {
      result.skipped.push({ id: a.accountId, name: a.name, reason: `state ${a.state}` });
      continue;
    }
    if (existing.has(a.accountId)) {
      await client.account.update({ where: { id: a.accountId }, data: { ouPath: a.ouPath } });
      result.updated++;
      continue;
    }
    await client.account.create({
      data: {
        id: a.accountId,
        name: a.name,
        ouPath: a.ouPath,
        roleArn: `arn:${partition}:iam::${a.accountId}:role/${input.roleName}`,
        externalId,
        linkedBy: "discovery",
      },
    });
    result.linked.push({ id: a.accountId, name: a.name, ouPath: a.ouPath });
  }
  return result;
}
