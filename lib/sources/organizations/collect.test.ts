import {
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListParentsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureOrganizationsClient } from "@/lib/sources/organizations/fixture";
import { discoverOrganizationAccounts } from "./collect";

const client = new OrganizationsClient({
  region: "us-east-1",
  credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
});
const mock = mockClient(client);
afterEach(() => mock.reset());

describe("discoverOrganizationAccounts", () => {
  it("pages ListAccounts (including an empty page with a NextToken) and walks OUs up to the root, once per OU", async () => {
    mock
      .on(ListAccountsCommand)
      .resolves({ Accounts: [{ Id: "111111111111", Name: "prod-a", State: "ACTIVE", Email: "a@x" }], NextToken: "t2" });
    mock.on(ListAccountsCommand, { NextToken: "t2" }).resolves({ Accounts: [], NextToken: "t3" });
    mock.on(ListAccountsCommand, { NextToken: "t3" }).resolves({
      Accounts: [
        { Id: "222222222222", Name: "prod-b", Status: "SUSPENDED" },
        { Id: "333333333333", Name: "mgmt", State: "ACTIVE" },
      ],
    });
    mock
      .on(ListParentsCommand, { ChildId: "111111111111" })
      .resolves({ Parents: [{ Id: "ou-prod", Type: "ORGANIZATIONAL_UNIT" }] });
    mock
      .on(ListParentsCommand, { ChildId: "222222222222" })
      .resolves({ Parents: [{ Id: "ou-prod", Type: "ORGANIZATIONAL_UNIT" }] });
    mock.on(ListParentsCommand, { ChildId: "333333333333" }).resolves({ Parents: [{ Id: "r-root", Type: "ROOT" }] });
    mock
      .on(ListParentsCommand, { ChildId: "ou-prod" })
      .resolves({ Parents: [{ Id: "ou-work", Type: "ORGANIZATIONAL_UNIT" }] });
    mock.on(ListParentsCommand, { ChildId: "ou-work" }).resolves({ Parents: [{ Id: "r-root", Type: "ROOT" }] });
    mock
      .on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: "ou-prod" })
      .resolves({ OrganizationalUnit: { Id: "ou-prod", Name: "Production" } });
    mock
      .on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: "ou-work" })
      .resolves({ OrganizationalUnit: { Id: "ou-work", Name: "Workloads" } });

    const accounts = await discoverOrganizationAccounts(client);

    expect(accounts.map((a) => [a.accountId, a.ouPath, a.state])).toEqual([
      ["111111111111", "Root/Workloads/Production", "ACTIVE"],
      ["222222222222", "Root/Workloads/Production", "SUSPENDED"],
      ["333333333333", "Root", "ACTIVE"],
    ]);
    expect(mock.commandCalls(ListAccountsCommand)).toHaveLength(3);
    expect(mock.commandCalls(DescribeOrganizationalUnitCommand)).toHaveLength(2);
    expect(mock.commandCalls(ListParentsCommand, { ChildId: "ou-prod" })).toHaveLength(1);
  });

  it("finds the fixture organisation's accounts with their OU paths", async () => {
    const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
    const accounts = await discoverOrganizationAccounts(createFixtureOrganizationsClient(estate));
    expect(accounts.map((a) => [a.accountId, a.name, a.ouPath])).toEqual(
      estate.accounts.map((a) => [a.accountId, a.name, a.ouPath]),
    );
  });

  it("nested OUs in a generic estate", async () => {
    const estate = generateFixtureEstate({ seed: 11, accounts: 45 });
    const accounts = await discoverOrganizationAccounts(createFixtureOrganizationsClient(estate));
    expect(accounts).toHaveLength(45);
    expect(accounts.map((a) => a.ouPath)).toEqual(estate.accounts.map((a) => a.ouPath));
    expect(accounts.some((a) => a.ouPath.startsWith("Root/Workloads/Team-"))).toBe(true);
  });
});
