/**
 * Role sessions for the event consumer, one per account, kept between refreshes: a burst of events on one account
 * assumes its role once, not once per bucket. The connector's credentials renew themselves before they expire; a
 * session is still dropped after `maxAgeMs`, when the account's role ARN or ExternalId changes, and when a call fails
 * because of its credentials (an expired or revoked session), so the next refresh assumes the role again.
 */
import type { AccountClients, AccountRef, AwsConnector } from "@/lib/sources/shared/connector";

/** Errors of refused credentials (an expired or revoked role session). */
export const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "InvalidToken",
]);

export function isCredentialError(error: unknown): boolean {
  return error instanceof Error && CREDENTIAL_ERRORS.has(error.name);
}

export interface SessionCache {
  clientsFor(account: AccountRef): Promise<AccountClients>;
  /** Forget an account's session (its credentials were refused). */
  drop(accountId: string): void;
}

export function createSessionCache(
  connector: AwsConnector,
  maxAgeMs = 45 * 60_000,
  now = () => Date.now(),
): SessionCache {
  const sessions = new Map<string, { key: string; at: number; clients: Promise<AccountClients> }>();
  return {
    clientsFor(account) {
      const key = `${account.roleArn}\n${account.externalId}`;
      const held = sessions.get(account.accountId);
      if (held && held.key === key && now() - held.at < maxAgeMs) return held.clients;
      const clients = connector.connect(account);
      sessions.set(account.accountId, { key, at: now(), clients });
      // A failed assume is not kept: the next refresh tries again.
      clients.catch(() => {
        if (sessions.get(account.accountId)?.clients === clients) sessions.delete(account.accountId);
      });
      return clients;
    },
    drop(accountId) {
      sessions.delete(accountId);
    },
  };
}
