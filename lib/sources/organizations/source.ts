/**
 * AWS Organizations: account discovery (lib/sync/accounts), not part of a sync. Only useful in the management or a
 * delegated-administrator account.
 */
import type { Source } from "@/lib/sources/shared/source";
import { organizationsService } from "./collect";
import { organizationsFixture } from "./fixture";

export const organizationsSource: Source = {
  key: organizationsService.key,
  commands: {
    ListAccountsCommand: ["organizations:ListAccounts"],
    ListParentsCommand: ["organizations:ListParents"],
    DescribeOrganizationalUnitCommand: ["organizations:DescribeOrganizationalUnit"],
  },
  fixture: organizationsFixture,
};
