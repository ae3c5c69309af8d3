/**
 * An admin requires a second factor for a role (Settings); a user of that role without one is sent to set one up
 * right after the password, before any session. The setting is restored afterwards (this spec runs after the
 * read-only ones, see playwright.config.ts).
 */
import { expect as baseExpect, test } from "@playwright/test";
import { authenticator } from "otplib";
import { storageStatePath } from "./fixtures/roles";
import { createUser, signInWithPassword, sql } from "./fixtures/users";

// Each step is a full sign-in round trip (argon2 included): allow for a loaded machine.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

test.describe("second factor required per role", () => {
  test.afterAll(async () => {
    await sql(`DELETE FROM app_setting WHERE key = 'auth.mfaRequiredRoles'`);
  });

  test("a manager without a factor must set one up before anything else", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: storageStatePath("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/settings");
    const card = adminPage.getByTestId("mfa-required-roles");
    await card.getByLabel("Manager").check();
    await card.getByRole("button", { name: "Save second-factor requirement" }).click();
    await expect(adminPage.getByTestId("mfa-roles-ok")).toContainText("manager");

    const context = await browser.newContext();
    const page = await context.newPage();
    const user = await createUser("manager", "required");
    await signInWithPassword(page, user);
    await expect(page).toHaveURL(/\/login\/mfa/);
    await expect(page.getByRole("heading", { name: "Set up a second factor" })).toBeVisible();
    await page.goto("/coverage");
    await expect(page).toHaveURL(/\/login\?next=/);

    await page.goto("/login/mfa");
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    await page.getByLabel("Code from the app").fill(authenticator.generate(secret));
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByTestId("current-role")).toHaveText("Manager");

    // Restore through the page too (afterAll also clears it if this test failed half-way).
    await adminPage.goto("/settings");
    await adminPage.getByTestId("mfa-required-roles").getByLabel("Manager").uncheck();
    await adminPage
      .getByTestId("mfa-required-roles")
      .getByRole("button", { name: "Save second-factor requirement" })
      .click();
    await expect(adminPage.getByTestId("mfa-roles-ok")).toContainText("No role requires");
    await admin.close();
    await context.close();
  });
});
