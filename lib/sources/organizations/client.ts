/**
 * The AWS Organizations client, for account discovery: only useful in the management (or a delegated-administrator)
 * account. Organizations is a global service served from us-east-1 (aws partition).
 */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { AccountRef, AwsService } from "@/lib/sources/shared/connector";

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
