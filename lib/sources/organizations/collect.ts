/**
 * Account discovery from AWS Organizations (management or delegated-administrator account only): every account with
 * its OU path, e.g. "Root/Workloads/Production". Read-only: ListAccounts, ListParents, DescribeOrganizationalUnit.
 */
import {
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListParentsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { AccountRef, AwsService } from "@/lib/sources/shared/connector";

/** The Organizations client. Organizations is a global service served from us-east-1 (aws partition). */
export const organizationsService: AwsService<OrganizationsClient> = {
  key: "organizations",
  create: (config) => new OrganizationsClient(config),
};

export const ORGANIZATIONS_REGION = "us-east-1";

/** What account discovery needs: an Organizations client in the management (or delegated-administrator) account. */
export type OrganizationsSender = Pick<OrganizationsClient, "send">;

export interface OrganizationsConnector {
  /** Assume the account's role and return an Organizations client. Throws AssumeRoleError when it cannot. */
  organizations(account: AccountRef): Promise<OrganizationsSender>;
}

export interface OrganizationAccount {
  accountId: string;
  name: string;
  email: string | null;
  arn: string | null;
  /** Account.State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED…); falls back to the retiring Status field. */
  state: string | null;
  joinedAt: string | null;
  /** OU names from the root down, "Root/…"; "Root" for accounts directly under the root. */
  ouPath: string;
}

/** ListAccounts' maximum page size. */
const LIST_ACCOUNTS_PAGE = 20;
/** Guards against a malformed parent chain; real OU nesting is at most 5 levels. */
const MAX_OU_DEPTH = 10;

export async function discoverOrganizationAccounts(
  client: Pick<OrganizationsClient, "send">,
): Promise<OrganizationAccount[]> {
  const listed: OrganizationAccount[] = [];
  let token: string | undefined;
  do {
    // Pages may be empty while NextToken is still set: keep paging until it is null.
    const page = await client.send(new ListAccountsCommand({ MaxResults: LIST_ACCOUNTS_PAGE, NextToken: token }));
    for (const a of page.Accounts ?? []) {
      if (!a.Id) continue;
      listed.push({
        accountId: a.Id,
        name: a.Name ?? a.Id,
        email: a.Email ?? null,
        arn: a.Arn ?? null,
        state: a.State ?? a.Status ?? null,
        joinedAt: a.JoinedTimestamp ? new Date(a.JoinedTimestamp).toISOString() : null,
        ouPath: "Root",
      });
    }
    token = page.NextToken || undefined;
  } while (token);

  // Cached per OU: accounts share parents, so 1,000 accounts in 20 OUs cost ~1,000 ListParents + ~20 lookups.
  const parentOf = new Map<string, Promise<{ id: string; type: string } | null>>();
  const nameOf = new Map<string, Promise<string>>();
  const pathOf = new Map<string, Promise<string>>();

  const parent = (childId: string) => {
    let p = parentOf.get(childId);
    if (!p) {
      p = client.send(new ListParentsCommand({ ChildId: childId })).then((r) => {
        const first = r.Parents?.[0];
        return first?.Id ? { id: first.Id, type: first.Type ?? "ROOT" } : null;
      });
      parentOf.set(childId, p);
    }
    return p;
  };
  const ouName = (ouId: string) => {
    let p = nameOf.get(ouId);
    if (!p) {
      p = client
        .send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }))
        .then((r) => r.OrganizationalUnit?.Name ?? ouId);
      nameOf.set(ouId, p);
    }
    return p;
  };
  const ouPath = (ouId: string, depth = 0): Promise<string> => {
    let p = pathOf.get(ouId);
    if (!p) {
      p = (async () => {
        const [name, up] = await Promise.all([ouName(ouId), parent(ouId)]);
        if (!up || up.type === "ROOT" || depth >= MAX_OU_DEPTH) return `Root/${name}`;
        return `${await ouPath(up.id, depth + 1)}/${name}`;
      })();
      pathOf.set(ouId, p);
    }
    return p;
  };

  for (const account of listed) {
    const up = await parent(account.accountId);
    account.ouPath = up && up.type === "ORGANIZATIONAL_UNIT" ? await ouPath(up.id) : "Root";
  }
  return listed;
}
