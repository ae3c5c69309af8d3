/**
 * Linking accounts and syncing them against the fixture AWS (CUSTODY_FIXTURE_AWS=demo; scripts/e2e.ts runs a
 * worker): link by role ARN, test the connection (success, and a failure explained), sync now and watch it finish.
 */
import { expect, test } from "@playwright/test";
import { demoUnlinkedAccounts } from "../lib/sources/fixture/demo-organisation";
import { readableAccounts, unassumableAccount } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { AccountsPage } from "./pages/accounts-page";

test.describe("admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("links an account, tests its connection, and is told plainly why a bad role fails", async ({ page }) => {
    const accounts = new AccountsPage(page);
    await accounts.goto();
    const fresh = demoUnlinkedAccounts()[0]!;
    await expect(page.getByTestId("fixture-hint")).toContainText(fresh.roleArn);
    await expect(page.getByTestId("installation-external-id")).toHaveText(/^custody-[0-9a-f]{32}$/);

    // Bad input is refused with a clear message, nothing linked.
    await accounts.link("arn:aws:iam::12345:role/Nope");
    await expect(
      page
        .getByRole("alert")
        .filter({ hasText: "A role ARN looks like arn:aws:iam::123456789012:role/CustodyReadOnly" }),
    ).toBeVisible();

    await accounts.link(fresh.roleArn, fresh.externalId, "new workload");
    await expect(
      page.getByRole("status").filter({ hasText: `Linked new workload (${fresh.accountId})` }),
    ).toBeVisible();
    await expect(accounts.row(fresh.accountId)).toContainText("Never synced");
    const ok = await accounts.testConnection(fresh.accountId);
    await expect(ok).toContainText("Connection OK");
    await expect(ok).toContainText(`arn:aws:sts::${fresh.accountId}:assumed-role/CustodyReadOnly`);

    // Linking it twice is a conflict, explained.
    await accounts.link(fresh.roleArn);
    await expect(
      page.getByRole("alert").filter({ hasText: `Account ${fresh.accountId} is already linked` }),
    ).toBeVisible();

    // A role that does not exist (the fixture answers like AWS: AccessDenied), explained in plain words.
    const missing = "arn:aws:iam::123456789012:role/DoesNotExist";
    await accounts.link(missing);
    await expect(accounts.row("123456789012")).toBeVisible();
    const failed = await accounts.testConnection("123456789012");
    await expect(failed).toContainText("Connection failed (AccessDenied)");
    await expect(failed).toContainText(
      "The role does not exist in that account, or its trust policy does not trust Custody's hub identity.",
    );
  });

  test("corrects a wrongly linked account, re-tests it, then unlinks it with a confirmation", async ({ page }) => {
    const accounts = new AccountsPage(page);
    await accounts.goto();
    const second = demoUnlinkedAccounts()[1]!;
    await accounts.link(second.roleArn, "wrong-external-id", "second workload");
    await expect(
      page.getByRole("status").filter({ hasText: `Linked second workload (${second.accountId})` }),
    ).toBeVisible();
    await expect(await accounts.testConnection(second.accountId)).toContainText("Connection failed (AccessDenied)");

    // Edit: a role ARN of another account is refused with the reason; the right ExternalId fixes it.
    const row = accounts.row(second.accountId);
    await row.getByRole("button", { name: "Edit" }).click();
    const form = row.getByTestId("edit-account");
    await form.getByLabel("Role ARN").fill("arn:aws:iam::999999999999:role/CustodyReadOnly");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("alert")).toContainText("That role is in account 999999999999");
    await form.getByLabel("Role ARN").fill(second.roleArn);
    await form.getByLabel("ExternalId").fill(second.externalId);
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form).toHaveCount(0);
    await expect(row).toContainText(`ExternalId ${second.externalId}`);
    await expect(await accounts.testConnection(second.accountId)).toContainText("Connection OK");

    // Unlink asks first; cancelling changes nothing.
    await row.getByRole("button", { name: "Unlink…" }).click();
    await row.getByTestId("unlink-account").getByRole("button", { name: "Cancel" }).click();
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Unlink…" }).click();
    await row.getByTestId("unlink-account").getByRole("button", { name: "Unlink account" }).click();
    await expect(accounts.row(second.accountId)).toHaveCount(0);
    await page.getByTestId("unlinked-accounts").locator("summary").click();
    await expect(page.getByTestId("unlinked-accounts")).toContainText(second.accountId);
  });

  test("runs a sync and watches its progress complete", async ({ page }) => {
    const accounts = new AccountsPage(page);
    await accounts.goto();
    const account = readableAccounts[0]!;
    const runsBefore = await accounts.history().locator("tbody tr").count();
    await accounts.row(account.accountId).getByRole("button", { name: "Sync now" }).click();
    // Progress shows while it runs (queued → syncing), then the run lands in the history as synced.
    await expect(accounts.history().locator("tbody tr")).toHaveCount(Math.min(runsBefore + 1, 10), { timeout: 20_000 });
    const latest = accounts.history().locator("tbody tr").first();
    await expect(latest).toContainText("manual");
    await expect(latest).toContainText("Synced", { timeout: 20_000 });
    await expect(latest).toContainText("1/1");
    await expect(page.getByTestId("sync-idle")).toBeVisible();
    await expect(accounts.row(account.accountId)).toContainText("Synced");
    await expect(accounts.row(account.accountId)).toContainText(/just now|seconds? ago/);
  });
});

test.describe("security lead", () => {
  test.use({ storageState: storageStatePath("security-lead") });

  test("may sync now but not manage accounts", async ({ page }) => {
    const accounts = new AccountsPage(page);
    await accounts.goto();
    await expect(page.getByRole("button", { name: "Sync all now" })).toBeVisible();
    await expect(accounts.row(readableAccounts[1]!.accountId).getByRole("button", { name: "Sync now" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Test connection" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Link account" })).toHaveCount(0);
    await expect(page.getByTestId("installation-external-id")).toHaveCount(0);
  });
});

test.describe("auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("reads accounts, sync history and templates, and changes nothing", async ({ page }) => {
    const accounts = new AccountsPage(page);
    await accounts.goto();
    await expect(accounts.history()).toBeVisible();
    await expect(page.getByRole("button", { name: /Sync/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Test connection" })).toHaveCount(0);
    const template = await page.request.get("/api/deploy/custody-readonly-role.json");
    expect(template.status()).toBe(200);
    const policy = JSON.stringify((await template.json()).Resources.CustodyReadOnlyRole.Properties.Policies);
    expect(policy).toContain("s3:GetBucketPolicy");
    expect(policy).not.toContain("s3:GetObject");
  });
});

test.describe("finding an account", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("the search and the sync outcome filter narrow the accounts; a bad filter is a 400", async ({ page }) => {
    const target = readableAccounts[0]!;
    await page.goto(`/accounts?q=${encodeURIComponent(target.accountId.slice(-6))}`);
    await expect(page.getByTestId(`account-${target.accountId}`)).toBeVisible();
    await expect(page.getByTestId("account-count")).toHaveAttribute("data-total", "1");
    await page.goto("/accounts?status=failed");
    await expect(page.getByTestId(`account-${unassumableAccount.accountId}`)).toContainText("Failed");
    await expect(page.getByTestId(`account-${target.accountId}`)).toHaveCount(0);
    await page.goto("/accounts?q=no-such-account-anywhere");
    await expect(page.getByTestId("no-accounts")).toContainText("No linked account matches");
    const bad = await page.goto("/accounts?status=green");
    expect(bad?.status()).toBe(400);
  });
});
