/**
 * An admin on the users page: a temporary password the user must change before anything else, and disabling a
 * user ends their session and refuses their sign-in. Fresh users only (the demo users are never changed).
 */
import { expect as baseExpect, test } from "@playwright/test";
import { storageStatePath } from "./fixtures/roles";
import { createUser, signInWithPassword } from "./fixtures/users";

// Each step is a full sign-in round trip (argon2 included): allow for a loaded machine.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

test.use({ storageState: storageStatePath("admin") });

test.describe("user administration", () => {
  test("a temporary password signs in only to the account page until the user picks their own", async ({
    page,
    browser,
  }) => {
    const user = await createUser("auditor", "reset");
    await page.goto("/settings/users");
    const row = page.getByTestId(`user-actions-${user.email}`);
    await row.getByRole("button", { name: "Reset password" }).click();
    await row.getByRole("button", { name: "Temporary password" }).click();
    const message = await row.getByTestId("user-reset-ok").textContent();
    const temporary = /Temporary password for \S+: (\S+)/.exec(message ?? "")?.[1];
    expect(temporary).toMatch(/^\S{16}$/);

    // A weak password set by the admin is refused with the same policy.
    await row.getByLabel(`New password for ${user.email}`).fill("password1234");
    await row.getByRole("button", { name: "Set", exact: true }).click();
    await expect(row.getByTestId("user-reset-errors")).toContainText("commonly used");

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const userPage = await context.newPage();
    await signInWithPassword(userPage, { email: user.email, password: temporary! });
    await expect(userPage).toHaveURL(/\/account$/);
    await expect(userPage.getByTestId("must-change-password")).toBeVisible();
    await userPage.goto("/audit");
    await expect(userPage).toHaveURL(/\/account$/);
    await userPage.getByLabel("Current password").fill(temporary!);
    await userPage.getByLabel("New password", { exact: true }).fill("saffron-glacier-window-31");
    await userPage.getByLabel("New password again").fill("saffron-glacier-window-31");
    await userPage.getByRole("button", { name: "Change password" }).click();
    await expect(userPage.getByTestId("change-password-ok")).toBeVisible();
    await userPage.goto("/audit");
    await expect(userPage).toHaveURL(/\/audit$/);
    await context.close();
  });

  test("disabling a user ends their session and refuses their sign-in; an admin cannot disable themselves", async ({
    page,
    browser,
  }) => {
    const user = await createUser("manager", "disable");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const userPage = await context.newPage();
    await signInWithPassword(userPage, user);
    await expect(userPage.getByTestId("current-user")).toBeVisible();

    await page.goto("/settings/users");
    await expect(
      page.getByTestId("user-actions-admin@demo.custody.local").getByRole("button", { name: "Disable" }),
    ).toHaveCount(0);
    const row = page.getByTestId(`user-actions-${user.email}`);
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByTestId("user-disable-ok")).toContainText("disabled and signed out");

    await userPage.goto("/coverage");
    await expect(userPage).toHaveURL(/\/login\?next=/);
    await signInWithPassword(userPage, user);
    await expect(userPage.getByTestId("sign-in-error")).toHaveText("Wrong e-mail or password.");

    await row.getByRole("button", { name: "Enable" }).click();
    await expect(row.getByTestId("user-disable-ok")).toContainText("enabled");
    await signInWithPassword(userPage, user);
    await expect(userPage.getByTestId("current-user")).toBeVisible();
    await context.close();
  });
});
