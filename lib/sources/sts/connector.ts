/**
 * The real connector: assume each linked account's read-only role with the SDK's own credential provider
 * (fromTemporaryCredentials → STS AssumeRole with the account's ExternalId) and hand out SDK clients built on those
 * credentials — each built by its source's `AwsService.create`, so this file knows no service but STS. Retries are
 * the SDK's (adaptive mode), never hand-rolled.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import {
  ORGANIZATIONS_REGION,
  organizationsService,
  type OrganizationsConnector,
  type OrganizationsSender,
} from "@/lib/sources/organizations/collect";
import { settingsFrom } from "@/lib/env";
import { toAwsCallError } from "@/lib/sources/shared/aws-call-result";
import {
  AssumeRoleError,
  assertReadOnlyOperation,
  CallCounter,
  type AccountClients,
  type AccountRef,
  type AwsConnector,
  type ConnectionTester,
  type ConnectionTestResult,
  type AwsService,
  type SdkClient,
  type SdkClientOptions,
} from "@/lib/sources/shared/connector";

export interface AwsConnectorOptions {
  /** Region of the hub's STS calls (regional STS endpoint). Default: AWS_REGION, else us-east-1. */
  hubRegion?: string;
  /**
   * Endpoint override for every client (LocalStack, MinIO…). Leave undefined to let the SDK apply AWS_ENDPOINT_URL
   * and the service-specific AWS_ENDPOINT_URL_<SERVICE> variables itself.
   */
  endpointUrl?: string;
  forcePathStyle?: boolean;
  /** Total attempts per call including the first (SDK default 3). */
  maxAttempts?: number;
}

export const ROLE_SESSION_NAME = "custody-collector";

type Credentials = Awaited<ReturnType<ReturnType<typeof fromTemporaryCredentials>>>;
type CredentialProvider = () => Promise<Credentials>;

/** Refresh shared credentials this long before they expire (same margin the SDK uses). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * One AssumeRole serves every client of an account: each SDK client memoizes its credentials separately, so
 * handing them the raw provider would assume the role once per (service, region) client.
 */
function shareCredentials(provider: CredentialProvider): CredentialProvider {
  let current: Credentials | null = null;
  let inFlight: Promise<Credentials> | null = null;
  return async () => {
    const fresh = current && (!current.expiration || current.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS);
    if (fresh && current) return current;
    inFlight ??= provider()
      .then((c) => (current = c))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

/** The part of an SDK client the instrumentation needs; typed loosely because the SDK's add() is heavily overloaded. */
interface StackLike {
  middlewareStack: unknown;
}
type AddMiddleware = (mw: unknown, options: { step: string; name: string; override?: boolean }) => void;
type ClientPlugins = NonNullable<Parameters<typeof fromTemporaryCredentials>[0]["clientPlugins"]>;

/**
 * Counts every command a client sends (initialize step: once per command, not per retry) and refuses anything
 * that is not a read, so a future `PutXxxCommand` cannot reach AWS even if it slips past review.
 */
function instrument(client: StackLike, service: string, counter: CallCounter): void {
  const stack = client.middlewareStack as { add: AddMiddleware };
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
      assertReadOnlyOperation(service, operation);
      counter.record(service, operation);
      return next(args);
    },
    { step: "initialize", name: "custodyReadOnlyCallCounter", override: true },
  );
}

function stsCountingPlugins(counter: CallCounter): ClientPlugins {
  return [
    { applyToStack: (stack: unknown) => instrument({ middlewareStack: stack }, "sts", counter) },
  ] as ClientPlugins;
}

function hubRegionOf(options: AwsConnectorOptions): string {
  const s = settingsFrom();
  return options.hubRegion ?? s.AWS_REGION ?? s.AWS_DEFAULT_REGION ?? "us-east-1";
}

/** Plain-words explanation of why AssumeRole (or the hub's own credentials) failed. Pure; exported for tests. */
export function explainAssumeRoleError(err: unknown, account: AccountRef, hubRegion: string): AssumeRoleError {
  const e = toAwsCallError(err);
  const msg = e.message;
  if (e.name === "CredentialsProviderError" || /could not load credentials from any providers/i.test(msg)) {
    return new AssumeRoleError(
      "NoHubCredentials",
      msg,
      "Custody has no AWS credentials of its own to assume roles with. Give the Custody host an identity (instance or task role, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) that is allowed sts:AssumeRole on the linked accounts' roles.",
    );
  }
  if (
    e.name === "ExpiredToken" ||
    e.name === "ExpiredTokenException" ||
    /security token included in the request is expired/i.test(msg)
  ) {
    return new AssumeRoleError(
      e.name,
      msg,
      "Custody's own (hub) credentials have expired. Refresh them (e.g. re-run SSO login or rotate the session) and sync again.",
    );
  }
  if (
    e.name === "InvalidClientTokenId" ||
    e.name === "SignatureDoesNotMatch" ||
    e.name === "UnrecognizedClientException"
  ) {
    return new AssumeRoleError(
      e.name,
      msg,
      "Custody's own (hub) credentials are not valid (unknown or deleted access key, or wrong secret). Fix the hub credentials.",
    );
  }
  if (e.name === "RegionDisabledException") {
    return new AssumeRoleError(
      e.name,
      msg,
      `STS is not activated in ${hubRegion} for account ${account.accountId}. Activate the region in that account's IAM settings (Account settings → STS endpoints), or set Custody's hub region to one that is active.`,
    );
  }
  if (e.name === "AccessDenied" || e.name === "AccessDeniedException") {
    if (/explicit deny/i.test(msg) && /service control polic/i.test(msg)) {
      return new AssumeRoleError(
        e.name,
        msg,
        "An AWS Organizations service control policy (SCP) explicitly denies this role assumption. Ask the organisation's administrators to exempt Custody's hub role or the read-only role from that SCP.",
      );
    }
    if (/explicit deny/i.test(msg)) {
      return new AssumeRoleError(
        e.name,
        msg,
        "A policy explicitly denies sts:AssumeRole for Custody's hub identity (an identity policy, permissions boundary or session policy). Remove the deny for the Custody role ARNs.",
      );
    }
    return new AssumeRoleError(
      e.name,
      msg,
      `Custody could not assume ${account.roleArn}. Either the role does not exist in account ${account.accountId}, its trust policy does not trust Custody's hub identity, the ExternalId in the trust policy does not match the one configured in Custody${account.externalId ? "" : " (none is configured here)"}, or the hub identity lacks sts:AssumeRole on that role. Redeploy the read-only role template with the ExternalId shown on the account page.`,
    );
  }
  return new AssumeRoleError(e.name, msg, `Assuming ${account.roleArn} failed: ${e.name}: ${msg}`);
}

export interface AwsConnectorWithTest extends AwsConnector, ConnectionTester, OrganizationsConnector {}

export function createAwsConnector(options: AwsConnectorOptions = {}): AwsConnectorWithTest {
  const counter = new CallCounter();
  const hubRegion = hubRegionOf(options);
  const endpoint = options.endpointUrl ? { endpoint: options.endpointUrl } : {};
  const retry = {
    retryMode: "adaptive" as const,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const clientOptions: SdkClientOptions =
    options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {};

  const providerFor = (account: AccountRef, withExternalId = true): CredentialProvider =>
    fromTemporaryCredentials({
      params: {
        RoleArn: account.roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        ...(withExternalId && account.externalId ? { ExternalId: account.externalId } : {}),
      },
      clientConfig: { region: hubRegion, ...endpoint, ...retry },
      clientPlugins: stsCountingPlugins(counter),
    }) as CredentialProvider;

  const connect = async (account: AccountRef): Promise<AccountClients> => {
    const credentials = shareCredentials(providerFor(account));
    try {
      // Assume now, so a broken role fails the account up front with a clear reason instead of 1,000 unknowns.
      await credentials();
    } catch (err) {
      throw explainAssumeRoleError(err, account, hubRegion);
    }
    const cache = new Map<string, SdkClient>();
    return {
      get<C extends SdkClient>(service: AwsService<C>, region: string) {
        const key = `${service.key}|${region}`;
        let client = cache.get(key) as C | undefined;
        if (!client) {
          client = service.create({ region, credentials, ...endpoint, ...retry }, clientOptions);
          instrument(client, service.key, counter);
          cache.set(key, client);
        }
        return client;
      },
    };
  };

  const testConnection = async (account: AccountRef): Promise<ConnectionTestResult> => {
    const identity = async (provider: CredentialProvider) => {
      const sts = new STSClient({ region: hubRegion, credentials: provider, ...endpoint, ...retry });
      instrument(sts, "sts", counter);
      try {
        return await sts.send(new GetCallerIdentityCommand({}));
      } finally {
        sts.destroy();
      }
    };
    try {
      const caller = await identity(providerFor(account));
      let externalIdEnforced: boolean | null = null;
      if (account.externalId) {
        // AWS's confused-deputy guidance: if the role can be assumed without the ExternalId, the trust policy
        // does not enforce it.
        try {
          await identity(providerFor(account, false));
          externalIdEnforced = false;
        } catch {
          externalIdEnforced = true;
        }
      }
      return {
        ok: true,
        callerArn: caller.Arn ?? "",
        accountId: caller.Account ?? account.accountId,
        externalIdEnforced,
      };
    } catch (err) {
      const e = explainAssumeRoleError(err, account, hubRegion);
      return { ok: false, code: e.code, message: e.message, explanation: e.explanation };
    }
  };

  const organizations = async (account: AccountRef): Promise<OrganizationsSender> =>
    (await connect(account)).get(organizationsService, ORGANIZATIONS_REGION);

  return { connect, callCounts: () => counter.snapshot(), testConnection, organizations };
}
