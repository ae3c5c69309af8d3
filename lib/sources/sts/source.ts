/**
 * AWS STS: the credential exchange itself (connector.ts assumes each account's read-only role), not a read of the
 * account. AssumeRole is granted by the role's trust policy (and the hub's own policy) and GetCallerIdentity needs
 * no permission, so neither adds to the role's permissions. The connectors answer these themselves.
 */
import type { Source } from "@/lib/sources/shared/source";

export const stsSource: Source = {
  key: "sts",
  commands: { AssumeRoleCommand: [], GetCallerIdentityCommand: [] },
};
