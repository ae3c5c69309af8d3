/**
 * The fixture AWS's Organizations, from the management account's point of view: the estate's accounts and OUs.
 * Discovery uses it through createFixtureOrganizationsClient (the demo connector's organizations()).
 */
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { OrganizationsServiceException } from "@aws-sdk/client-organizations";
import { FIXTURE_REFERENCE_DATE } from "@/lib/sources/fixture/bucket-traits";
import type { FixtureEstate } from "@/lib/sources/fixture/estate";
import { hash32 } from "@/lib/sources/fixture/random";
import {
  DAY,
  fixtureServiceError,
  UnsupportedFixtureOperationError,
  type FixtureResponder,
} from "@/lib/sources/fixture/world";
import { assertReadOnlyOperation, CallCounter, operationNameOf } from "@/lib/sources/shared/connector";

const orgError = (name: string, message: string) =>
  fixtureServiceError(OrganizationsServiceException, name, 400, message);

export const organizationsFixture: FixtureResponder = {
  answer: ({ world, operation, input }) => answerOrganizations(world.estate, operation, input),
  throttlingError: () => orgError("TooManyRequestsException", "Rate exceeded"),
};

/** One Organizations operation answered from the estate. */
export function answerOrganizations(estate: FixtureEstate, operation: string, input: Record<string, unknown>): object {
  const ouById = new Map(estate.organizationalUnits.map((ou) => [ou.id, ou]));
  const ouByPath = new Map(estate.organizationalUnits.map((ou) => [ou.path, ou]));
  switch (operation) {
    case "ListAccounts": {
      const max = typeof input.MaxResults === "number" ? input.MaxResults : 20;
      if (max < 1 || max > 20) throw orgError("InvalidInputException", "MaxResults must be between 1 and 20");
      const offset = input.NextToken ? Number(Buffer.from(String(input.NextToken), "base64").toString("utf8")) : 0;
      const page = estate.accounts.slice(offset, offset + max);
      return {
        Accounts: page.map((a) => ({
          Id: a.accountId,
          Arn: `arn:aws:organizations::${estate.managementAccountId}:account/${estate.organizationId}/${a.accountId}`,
          Email: a.email,
          Name: a.name,
          Status: "ACTIVE",
          State: "ACTIVE",
          JoinedMethod: a.accountId === estate.managementAccountId ? "CREATED" : "INVITED",
          JoinedTimestamp: new Date(FIXTURE_REFERENCE_DATE - (400 + (hash32(a.accountId) % 2000)) * DAY),
        })),
        ...(offset + max < estate.accounts.length
          ? { NextToken: Buffer.from(String(offset + max)).toString("base64") }
          : {}),
      };
    }
    case "ListParents": {
      const child = String(input.ChildId ?? "");
      const account = estate.accounts.find((a) => a.accountId === child);
      const parentId = account ? (ouByPath.get(account.ouPath)?.id ?? estate.rootId) : ouById.get(child)?.parentId;
      if (!parentId) throw orgError("ChildNotFoundException", `We can't find a child with the ID ${child}.`);
      return {
        Parents: [{ Id: parentId, Type: parentId === estate.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT" }],
      };
    }
    case "DescribeOrganizationalUnit": {
      const ou = ouById.get(String(input.OrganizationalUnitId ?? ""));
      if (!ou)
        throw orgError(
          "OrganizationalUnitNotFoundException",
          "We can't find an organizational unit (OU) with the specified OU ID.",
        );
      return {
        OrganizationalUnit: {
          Id: ou.id,
          Name: ou.name,
          Arn: `arn:aws:organizations::${estate.managementAccountId}:ou/${estate.organizationId}/${ou.id}`,
        },
      };
    }
    default:
      throw new UnsupportedFixtureOperationError("organizations", operation);
  }
}

/** An Organizations client answering from the estate (management account view), for account discovery. */
export function createFixtureOrganizationsClient(
  estate: FixtureEstate,
): Pick<OrganizationsClient, "send"> & { callCounts(): Record<string, number> } {
  const counter = new CallCounter();
  const send = async (command: unknown): Promise<unknown> => {
    const operation = operationNameOf(command);
    assertReadOnlyOperation("organizations", operation);
    counter.record("organizations", operation);
    const input = ((command as { input?: unknown }).input ?? {}) as Record<string, unknown>;
    return { $metadata: { httpStatusCode: 200 }, ...answerOrganizations(estate, operation, input) };
  };
  return { send: send as never, callCounts: () => counter.snapshot() };
}
