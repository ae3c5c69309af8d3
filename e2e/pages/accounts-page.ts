import { expect, type Page } from "@playwright/test";

/** Page object for /accounts: the accounts table, sync progress and the admin forms. */
export class AccountsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/accounts");
    await expect(this.page.getByRole("heading", { name: "Accounts", level: 1 })).toBeVisible();
  }

  row(accountId: string) {
    return this.page.getByTestId(`account-${accountId}`);
  }

  async link(roleArn: string, externalId = "", name = "") {
    await this.page.getByLabel("Role ARN").fill(roleArn);
    await this.page.getByLabel("Name (optional)").fill(name);
    await this.page.getByLabel("ExternalId (optional)").fill(externalId);
    await this.page.getByRole("button", { name: "Link account" }).click();
  }

  async testConnection(accountId: string) {
    await this.row(accountId).getByRole("button", { name: "Test connection" }).click();
    return this.row(accountId).getByTestId("test-result");
  }

  history() {
    return this.page.getByTestId("sync-history");
  }
}
