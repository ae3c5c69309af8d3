/**
 * The seam between real AWS (sts/connector.ts) and the fixture AWS (fixture/connector.ts). Collectors only ever see
 * `AccountClients`, so demo mode and benchmarks run the exact same get → transform path as production. Neither
 * connector knows the services: a collector names the one it needs (`clients.get(s3Service, region)`) and the
 * source's `AwsService` says how its SDK client is built.
 */

/** The account's temporary credentials, shared by every client of the account (the SDK's provider shape). */
export type CredentialProvider = () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}>;

/** What the real connector hands a source's client factory: region, credentials, endpoint and retry settings. */
export interface SdkClientConfig {
  region: string;
  credentials: CredentialProvider;
  /** Only set when the connector overrides the endpoint (LocalStack, MinIO…). */
  endpoint?: string;
  retryMode: "adaptive";
  maxAttempts?: number;
}

/** Connector options only some services use. */
export interface SdkClientOptions {
  /** S3-compatible endpoints that need path-style addressing. */
  forcePathStyle?: boolean;
}

/** An SDK v3 client as far as the connectors care: it sends commands and has a middleware stack to instrument. */
export interface SdkClient {
  send(...args: never[]): Promise<unknown>;
  middlewareStack: unknown;
}

/** One AWS service a source talks to and how its SDK client is built (at the top of the source's collect.ts). */
export interface AwsService<C extends SdkClient> {
  /** The service's key in call counts ("s3:ListBuckets"), the read-only guard and the fixture AWS. */
  key: string;
  create(config: SdkClientConfig, options: SdkClientOptions): C;
}

export interface AccountClients {
  /** The account's client for `service` in `region` (one per service and region, created on first use). */
  get<C extends SdkClient>(service: AwsService<C>, region: string): Pick<C, "send">;
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

export function assertReadOnlyOperation(service: string, operation: string): void {
  if (READ_ONLY_OPERATION.test(operation)) return;
  if (service === "sts" && CREDENTIAL_EXCHANGE_OPERATIONS.includes(operation)) return;
  throw new Error(`Custody is read-only: refusing to send ${service}:${operation}`);
}

/** Counts calls by "<service>:<Operation>"; shared by the real and the fixture connector. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
