/**
 * The seam between real AWS (sts.ts) and the fixture AWS (fixture-aws.ts). Collectors only ever see
 * `AccountClients`, so demo mode and benchmarks run the exact same get → transform path as production.
 */
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { Macie2Client } from "@aws-sdk/client-macie2";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { S3Client } from "@aws-sdk/client-s3";
import type { S3ControlClient } from "@aws-sdk/client-s3-control";

export interface AccountClients {
  s3(region: string): Pick<S3Client, "send">;
  s3control(region: string): Pick<S3ControlClient, "send">;
  config(region: string): Pick<ConfigServiceClient, "send">;
  macie(region: string): Pick<Macie2Client, "send">;
}

export interface AccountRef {
  accountId: string;
  roleArn: string;
  externalId: string | null;
}

export interface AwsConnector {
  /** Assume the account's read-only role. Throws AssumeRoleError (name, code, plain-words explanation) when it cannot. */
  connect(account: AccountRef): Promise<AccountClients>;
  /**
   * Count of SDK calls sent so far, keyed "<service>:<Operation>" (e.g. "s3:ListBuckets", "s3control:GetPublicAccessBlock",
   * "sts:AssumeRole"). One count per command sent by a collector; SDK-internal retries are not counted again.
   */
  callCounts(): Record<string, number>;
}

export type ConnectionTestResult =
  | {
      ok: true;
      /** The assumed-role ARN GetCallerIdentity answered with. */
      callerArn: string;
      accountId: string;
      /**
       * false when the role could also be assumed *without* the ExternalId (trust policy does not enforce it: the
       * confused-deputy guard is missing); null when not checked (no ExternalId configured).
       */
      externalIdEnforced: boolean | null;
    }
  | { ok: false; code: string; message: string; explanation: string };

/** Both connectors can also verify a role on demand (the "Test connection" button). */
export interface ConnectionTester {
  testConnection(account: AccountRef): Promise<ConnectionTestResult>;
}

/** What account discovery needs: an Organizations client in the management (or delegated-administrator) account. */
export type OrganizationsSender = Pick<OrganizationsClient, "send">;

export interface OrganizationsConnector {
  /** Assume the account's role and return an Organizations client. Throws AssumeRoleError when it cannot. */
  organizations(account: AccountRef): Promise<OrganizationsSender>;
}

export class AssumeRoleError extends Error {
  override name = "AssumeRoleError";
  /** The AWS error code (AccessDenied, RegionDisabledException, ExpiredToken, NoHubCredentials, …). */
  code: string;
  /** What went wrong and what to fix, in plain words, for the accounts page. */
  explanation: string;

  constructor(code: string, message: string, explanation: string) {
    super(message);
    this.code = code;
    this.explanation = explanation;
  }
}

/** Short service keys used in call counts. */
export type AwsServiceKey = "s3" | "s3control" | "config" | "macie" | "sts" | "organizations";

/**
 * The operation name of an SDK v3 command ("ListBuckets"). Read from the command's operation schema, not the class
 * name, because bundlers may minify class names in production builds.
 */
export function operationNameOf(command: unknown): string {
  const schema = (command as { schema?: unknown }).schema;
  if (Array.isArray(schema) && typeof schema[2] === "string") return schema[2];
  const ctorName = (command as { constructor?: { name?: string } }).constructor?.name ?? "UnknownCommand";
  return ctorName.replace(/Command$/, "");
}

/** The read-only rule, enforced at run time as well as by the allow-list test: nothing but reads may leave Custody. */
export const READ_ONLY_OPERATION = /^(Get|List|Describe|Head)[A-Z]/;
/** STS calls are the credential exchange itself, not reads of the account, and change nothing. */
export const CREDENTIAL_EXCHANGE_OPERATIONS: readonly string[] = ["AssumeRole", "GetCallerIdentity"];

export function assertReadOnlyOperation(service: AwsServiceKey, operation: string): void {
  if (READ_ONLY_OPERATION.test(operation)) return;
  if (service === "sts" && CREDENTIAL_EXCHANGE_OPERATIONS.includes(operation)) return;
  throw new Error(`Custody is read-only: refusing to send ${service}:${operation}`);
}

/** Counts calls by "<service>:<Operation>"; shared by the real and the fixture connector. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  record(service: AwsServiceKey, operation: string): void {
    const key = `${service}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
