import "server-only";
/**
 * Linking accounts, testing connections and organisation discovery (admins). Every call is audited. Input arrives
 * validated (app/api/accounts declares the schemas of lib/schemas/accounts.ts); account ids are 12-digit ids.
 */
import { settingsFrom } from "@/lib/env";
import { writeAudit } from "@/lib/server/audit";
import { awsConnector, awsConnectorMode } from "@/lib/server/aws-connector";
import { db } from "@/lib/server/db";
import { authorize, can, type Actor } from "@/lib/server/permissions";
import type { AddAccountInput, DiscoverInput, UpdateAccountInput } from "@/lib/schemas/accounts";
import { installationExternalId } from "@/lib/sync/accounts/external-id";
import {
  discoverAndLinkAccounts,
  linkAccount,
  testAccountConnection,
  unlinkAccount,
  updateAccount,
} from "@/lib/sync/accounts/link-accounts";
import { demoUnlinkedAccounts } from "@/lib/sources/fixture/demo-organisation";
import { isAppError } from "@/lib/errors";

const auditActor = (actor: Actor) => ({ id: actor.id, email: actor.email });

async function audited<T>(
  actor: Actor,
  action: string,
  target: { type: string; id?: string },
  detail: Record<string, unknown>,
  work: () => Promise<T>,
  describe: (r: T) => Record<string, unknown> = () => ({}),
  /** The outcome of work that completed: a connection test that ran but failed is a failure, not a success. */
  outcomeOf: (r: T) => "success" | "failure" = () => "success",
): Promise<T> {
  try {
    const result = await work();
    await writeAudit(db(), {
      actor: auditActor(actor),
      action,
      targetType: target.type,
      targetId: target.id,
      outcome: outcomeOf(result),
      detail: { ...detail, ...describe(result) } as never,
    });
    return result;
  } catch (error) {
    await writeAudit(db(), {
      actor: auditActor(actor),
      action,
      targetType: target.type,
      targetId: target.id,
      outcome: "failure",
      detail: {
        ...detail,
        error: isAppError(error) ? error.message : error instanceof Error ? error.name : "error",
      } as never,
    });
    throw error;
  }
}

export async function addAccount(actor: Actor | null, input: AddAccountInput) {
  authorize(actor, "accounts:manage");
  return audited(
    actor,
    "account.add",
    { type: "account", id: input.roleArn.split(":")[4] },
    { roleArn: input.roleArn, externalIdGiven: Boolean(input.externalId) },
    () => linkAccount(db(), input),
    (a) => ({ name: a.name }),
  );
}

export async function testConnection(actor: Actor | null, accountId: string) {
  authorize(actor, "accounts:manage");
  const result = await audited(
    actor,
    "account.test-connection",
    { type: "account", id: accountId },
    {},
    () => testAccountConnection(db(), awsConnector(), accountId),
    (r) => ({
      ok: r.ok,
      ...(r.ok ? {} : { code: r.code }),
      ...(r.warning ? { warning: "role assumable without the ExternalId" } : {}),
    }),
    (r) => (r.ok ? "success" : "failure"),
  );
  return result.ok
    ? {
        ok: true as const,
        callerArn: result.callerArn,
        accountId: result.accountId,
        externalIdEnforced: result.externalIdEnforced,
        warning: result.warning,
      }
    : { ok: false as const, code: result.code, explanation: result.explanation };
}

/** Correct a linked account's name, role ARN or ExternalId (admins; audited with what changed, never the old values' secrets). */
export async function editAccount(actor: Actor | null, accountId: string, input: UpdateAccountInput) {
  authorize(actor, "accounts:manage");
  return audited(
    actor,
    "account.update",
    { type: "account", id: accountId },
    { changed: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined) },
    () => updateAccount(db(), accountId, input),
  );
}

/** Unlink an account (admins; audited): no more syncs, its history stays. */
export async function removeAccount(actor: Actor | null, accountId: string) {
  authorize(actor, "accounts:manage");
  return audited(
    actor,
    "account.unlink",
    { type: "account", id: accountId },
    {},
    () => unlinkAccount(db(), accountId),
    (a) => ({ name: a.name }),
  );
}

export async function discoverAccounts(actor: Actor | null, input: DiscoverInput) {
  authorize(actor, "accounts:manage");
  return audited(
    actor,
    "account.discover",
    { type: "organization" },
    { roleName: input.roleName, fromAccountId: input.fromAccountId ?? null },
    () => discoverAndLinkAccounts(db(), awsConnector(), input),
    (r) => ({ found: r.found, linked: r.linked.length, from: r.fromAccountId }),
  );
}

/** What the "link an account" panel shows: the ExternalId to paste, the templates, and (fixture mode) unlinked demo accounts. */
export async function getLinkingGuide(actor: Actor | null) {
  authorize(actor, "accounts:read");
  const manage = can(actor, "accounts:manage");
  const fixture = awsConnectorMode() === "fixture-demo";
  const linked = fixture
    ? new Set((await db().account.findMany({ select: { id: true } })).map((a) => a.id))
    : new Set<string>();
  return {
    canManage: manage,
    externalId: manage ? await installationExternalId(db()) : null,
    fixtureMode: fixture,
    fixtureAccounts: fixture && manage ? demoUnlinkedAccounts().filter((a) => !linked.has(a.accountId)) : [],
    hubAccountHint: settingsFrom().CUSTODY_HUB_ACCOUNT_ID ?? null,
  };
}
