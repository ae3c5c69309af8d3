/**
 * Which AWS the app, the CLI and the workers talk to.
 *   - Real AWS (default): the SDK's own credential chain for the hub identity, AWS_ENDPOINT_URL honoured by the SDK,
 *     CUSTODY_S3_FORCE_PATH_STYLE for S3-compatible endpoints.
 *   - Fixture AWS (CUSTODY_FIXTURE_AWS=demo): the seeded demo estate (the accounts the demo organisation links) plus
 *     a few accounts nobody has linked yet, so a new user can link an account, test the connection, discover the
 *     organisation and run syncs without an AWS account. Answers like AWS would: a wrong role ARN or ExternalId is
 *     AccessDenied with the same plain-words explanation.
 */
import {
  AssumeRoleError,
  type AccountRef,
  type AwsConnector,
  type ConnectionTester,
} from "@/lib/sources/shared/connector";
import type { OrganizationsConnector } from "@/lib/sources/organizations/collect";
import { demoFixtureWorld, organisationEstate } from "@/lib/sources/fixture/demo-organisation";
import { createFixtureConnector, type FixtureConnectorOptions } from "@/lib/sources/fixture/connector";
import { applyDemoChanges } from "@/lib/sources/fixture/demo-changes";
import { createFixtureOrganizationsClient } from "@/lib/sources/organizations/fixture";
import { createAwsConnector } from "@/lib/sources/sts/connector";
import { settingsFrom, processEnv, type EnvSource } from "@/lib/env";

export interface CustodyConnector extends AwsConnector, ConnectionTester, OrganizationsConnector {}

export type ConnectorMode = "aws" | "fixture-demo";

export function connectorModeFrom(source: EnvSource = processEnv()): ConnectorMode {
  const v = (settingsFrom(source).CUSTODY_FIXTURE_AWS ?? "").trim().toLowerCase();
  return v === "demo" || v === "true" || v === "1" ? "fixture-demo" : "aws";
}

/** The changes `npm run demo:change` recorded (lib/events/demo-change.ts reads them from the database). */
export type DemoChangesSource = () => Promise<{ bucketName: string; change: string }[]>;

export function createFixtureDemoConnector(
  options: FixtureConnectorOptions & { demoChanges?: DemoChangesSource } = {},
): CustodyConnector {
  const world = demoFixtureWorld();
  const linked = createFixtureConnector(world.linked, options);
  const unlinked = createFixtureConnector(world.unlinked, options);
  const unlinkedIds = new Set(world.unlinked.accounts.map((a) => a.accountId));
  const route = (ref: AccountRef) => (unlinkedIds.has(ref.accountId) ? unlinked : linked);
  return {
    // The fixture answers as AWS would after the recorded changes: they are applied before each account is read.
    // The fixture answers as AWS would after the recorded changes: they are applied before each call, since a
    // connection may be kept for many reads (the event consumer keeps one per account).
    connect: async (ref) => {
      const clients = await route(ref).connect(ref);
      const changes = options.demoChanges;
      if (!changes) return clients;
      // Calls sent at the same moment share one read of the list (a sync sends many at once).
      let reading: Promise<void> | null = null;
      const applied = () =>
        (reading ??= changes()
          .then((list) => applyDemoChanges(world.linked, list))
          .finally(() => {
            reading = null;
          }));
      await applied();
      return {
        get(service, region) {
          const client = clients.get(service, region);
          return new Proxy(client, {
            get: (target, prop) =>
              prop === "send"
                ? async (...args: unknown[]) => {
                    await applied();
                    return (target.send as (...a: unknown[]) => Promise<unknown>)(...args);
                  }
                : Reflect.get(target, prop),
          });
        },
      };
    },
    testConnection: (ref) => route(ref).testConnection(ref),
    callCounts: () => {
      const merged: Record<string, number> = { ...linked.callCounts() };
      for (const [k, v] of Object.entries(unlinked.callCounts())) merged[k] = (merged[k] ?? 0) + v;
      return merged;
    },
    async organizations(ref) {
      // Assume the role first, exactly as against AWS (a wrong role or ExternalId fails the same way).
      const result = await route(ref).testConnection(ref);
      if (!result.ok) throw new AssumeRoleError(result.code, result.message, result.explanation);
      if (ref.accountId !== world.linked.managementAccountId) {
        throw new AssumeRoleError(
          "AccessDeniedException",
          "You don't have permissions to access this resource.",
          `Account ${ref.accountId} is not the organisation's management account or a delegated administrator, so it cannot list the organisation's accounts. Run discovery from the management account (${world.linked.managementAccountId} in the demo).`,
        );
      }
      return createFixtureOrganizationsClient(organisationEstate(world));
    },
  };
}

export function createConnector(
  mode: ConnectorMode = connectorModeFrom(),
  source: EnvSource = processEnv(),
  fixture: { demoChanges?: DemoChangesSource } = {},
): CustodyConnector {
  if (mode === "fixture-demo") return createFixtureDemoConnector({ demoChanges: fixture.demoChanges });
  const s = settingsFrom(source);
  return createAwsConnector({
    // The SDK reads AWS_ENDPOINT_URL itself; passing it here makes the override explicit for every client.
    endpointUrl: s.AWS_ENDPOINT_URL,
    ...(s.CUSTODY_S3_FORCE_PATH_STYLE ? { forcePathStyle: true } : {}),
  });
}
